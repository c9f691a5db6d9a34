/* Pigeon web client, bundled from js/ (go generate). Includes Preact (MIT) and htm (Apache-2.0): vendor/LICENSE-preact.txt, vendor/LICENSE-htm.txt. */
var T,en,Fo,oe,rt,We,tn,Oe,nn,ct,it,Oo,xe=Symbol.for("pv"),qe={},He=[],jo=/^m(i|n|o|s|text|space)$/,lt=Array.isArray,ut=He.slice,ue=Object.assign;function le(e){e&&e.parentNode&&e.remove()}function on(e,t,n){var o,s,a,r={},i=arguments.length;for(a in t)a=="key"?o=t[a]:a=="ref"&&typeof e!="function"?s=t[a]:r[a]=t[a];return i>2&&(r.children=i>3?ut.call(arguments,2):n),ke(e,r,o,s,null)}function ke(e,t,n,o,s){var a={type:e,props:t,key:n,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:xe,__v:s||++en,__i:-1,__u:0};return!s&&T.vnode&&T.vnode(a),a}function Ce(e){return e.children}function se(e,t){this.props=e,this.context=t,this.__g=0}function ae(e,t){if(t==null)return e.__&&ae(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!="function"||e.props.__P?null:ae(e)}function Wo(e){var t,n=e.__v,o=n.__e,s=[],a=[],r=e.__P;r&&((t=ue({constructor:xe},n)).__v=n.__v+1,T.vnode&&T.vnode(t),pt(r,t,n,e.__n,r.namespaceURI,32&n.__u?[o]:null,s,o||ae(n),32&n.__u,a),t.__v=n.__v,t.__.__k[t.__i]=t,un(s,t,a),n.__=n.__e=null,t.__e!=o&&sn(t))}function sn(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),sn(e)}function Xt(e){(8&e.__g||(e.__g|=8,oe.push(e),We++))&&rt==T.debounceRendering||((rt=T.debounceRendering)||queueMicrotask)(an)}function an(){try{for(var e,t=1;oe.length;)oe.length>t&&oe.sort(tn),e=oe.shift(),t=oe.length,8&e.__g&&Wo(e)}finally{(We=oe.length)&&(rt||queueMicrotask)(an)}}function rn(e,t,n,o,s,a,r,i,u,d,l){var m,h,p,y,_,v,b=o.__k||He,k=t.length;for(u=qo(n,t,b,u,k),m=0;m<k;m++)(p=n.__k[m])!=null&&(h=~p.__i&&b[p.__i]||qe,p.__i=m,v=pt(e,p,h,s,a,r,i,u,d,l),y=p.__e,(h.ref!=p.ref||8&h.__u)&&(h.ref&&dt(h.ref,null,p,h),p.ref&&l.push(p.ref,p.__c||y,p)),_=_||y,4&p.__u?(u=cn(p,u,e,!h.__v),h.__e&&(h.__e=null)):typeof p.type=="function"&&v!==void 0?u=v:y&&(u=y.nextSibling),p.__u&=-21);return n.__e=_,u}function qo(e,t,n,o,s){var a,r,i,u,d,l,m,h,p,y=n.length,_=y,v=0,b=0,k=e.__k=Array(s);for(a=0;a<s;a++)(r=t[a])!=null&&typeof r!="boolean"&&typeof r!="function"?(typeof r!="object"||r.constructor===String?r=k[a]=ke(null,r):lt(r)?r=k[a]=ke(Ce,{children:r}):r.constructor===xe&&r.__b?r=k[a]=ke(r.type,r.props,r.key,r.ref,r.__v):k[a]=r,u=a+v,r.__=e,r.__b=e.__b+1,i=null,~(d=r.__i=Ho(r,n,u,_))&&(_--,(i=n[d])&&(i.__u|=2)),i&&i.__v?(r.__u|=16,d==u-1?v--:d==u+1?v++:d!=u&&(d>u?v--:v++,b=1)):(~d||(s>y?v--:s<y&&v++),typeof r.type!="function"&&(r.__u|=4))):k[a]=null;if(b){for(l=[],m=[],a=0;a<s;a++)if((r=k[a])&&16&r.__u){for(v=0,h=l.length;v<h;)l[p=v+h>>1]<r.__i?v=p+1:h=p;l[v]=r.__i,m[a]=v+1}for(v=l.length;a--;)m[a]&&(m[a]==v?v--:k[a].__u|=4)}if(_)for(a=0;a<y;a++)!(i=n[a])||2&i.__u||(i.__e==o&&(o=ae(i)),ft(i,i));return o}function cn(e,t,n,o){var s,a,r,i;if(typeof e.type=="function"){if(e.props.__P)return t;if(s=e.__k)for(a=0;a<s.length;a++)s[a]&&(s[a].__=e,t=cn(s[a],t,n,!1));return t}for(t&&!t.parentNode&&(t=ae(e))&&!t.parentNode&&(t=null),r=e.__e,i=t;i&&i.nodeType==8;)i=i.nextSibling;for(r!=i&&(!o&&n.moveBefore&&r.parentNode?n.moveBefore(r,t):n.insertBefore(r,t||null)),t=r;(t=t&&t.nextSibling)&&t.nodeType==8&&!t.data.startsWith("$s"););return t}function Ho(e,t,n,o){var s,a=e.key,r=e.type,i=t[n],u=i&&!(2&i.__u);if(i===null&&a==null||u&&a==i.key&&r==i.type)return n;if(o>(u?1:0)){for(s=n-1;s>=0;s--)if((i=t[s])&&!(2&i.__u)&&a==i.key&&r==i.type)return s;for(s=n+1;s<t.length;s++)if((i=t[s])&&!(2&i.__u)&&a==i.key&&r==i.type)return s}return-1}function Zt(e,t,n){n==null&&(n=""),t[0]=="-"?e.setProperty(t,n):e[t]=n}function Fe(e,t,n,o,s){var a,r;if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof o=="string"&&(e.style.cssText=o=""),o)for(t in o)n&&t in n||Zt(e.style,t);if(n)for(t in n)o&&n[t]==o[t]||Zt(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")typeof n!="function"&&(n=null),typeof o!="function"&&(o=null),(e.__e||(e.__e={}))[t]=n,n&&o||(r=it[t]||(it[t]=Bo(t)),(e.__a||(e.__a={}))[t]=ct,a=t!=(t=t.replace(nn,"$1")),(t=t.slice(2))[0]<"a"&&(t=t.toLowerCase()),n?e.addEventListener(t,r,a):e.removeEventListener(t,r,a));else{if(s=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{return void(e[t]=n??"")}catch{}if(typeof n=="function")return;n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n)}}function Bo(e){return function(t){var n=this.__e;if(n){if(n=n[e],t[Oe]==null)t[Oe]=ct++;else if(t[Oe]<this.__a[e])return;return n(T.event?T.event(t):t)}}}function pt(e,t,n,o,s,a,r,i,u,d){var l,m,h,p,y,_,v,b,k,R,D,te,Ue,me,x,Jt,ne,ce,V=t.type;if(t.constructor!==xe)return null;128&n.__u&&(u=32&n.__u,l=n.__c.__z)&&(t.__u|=u,m=a=[],l.nodeType==8?i=je(l,a):a.push(l),i=a[0]||i),(l=T.__b)&&l(t);e:if(typeof V=="function"){h=r.length;try{if(b=t.props,k=(l=V.prototype)&&l.render,R=(l=V.contextType)&&o[l.__c],D=l?R?R.props.value:l.__:o,(p=n.__c)?(t.__c=p,2&p.__g&&(p.__g|=1)):(k?t.__c=p=new V(b,D):(t.__c=p=new se(b,D),p.constructor=V,p.render=zo),R&&R.sub(p),p.state||(p.state={}),p.__n=o,p.__g|=8,p.__h=[],p.__k=[]),k&&(p.__s||(p.__s=p.state),V.getDerivedStateFromProps&&(p.__s==p.state&&(p.__s=ue({},p.__s)),ue(p.__s,V.getDerivedStateFromProps(b,p.__s)))),y=p.props,_=p.state,p.__v=t,n.__c){if(b!==y&&k&&!V.getDerivedStateFromProps&&p.componentWillReceiveProps&&p.componentWillReceiveProps(b,D),t.__v==n.__v&&!(8&p.__g)||!(4&p.__g)&&p.shouldComponentUpdate&&p.shouldComponentUpdate(b,p.__s,D)===!1){t.__v!=n.__v&&(p.props=b,p.state=p.__s,p.__g&=-9),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(j){j&&(j.__=t)}),He.push.apply(p.__h,p.__k),p.__k=[],p.__h.length&&r.push(p),i=ae(n);break e}p.componentWillUpdate&&p.componentWillUpdate(b,p.__s,D),k&&p.componentDidUpdate&&p.__h.push(function(){p.componentDidUpdate(y,_,v)})}else k&&!V.getDerivedStateFromProps&&p.componentWillMount&&p.componentWillMount(),k&&p.componentDidMount&&p.__h.push(p.componentDidMount);p.context=D,p.props=b,p.__P=e,p.__g&=-5,te=T.__r,Ue=k?25:0;do p.__g&=-9,te&&te(t),l=p.render(p.props,p.state=p.__s,p.context);while(8&p.__g&&++Ue<25);k&&(He.push.apply(p.__h,p.__k),p.__k=[]),p.state=p.__s,p.getChildContext&&(o=ue({},o,p.getChildContext())),k&&n.__c&&p.getSnapshotBeforeUpdate&&(v=p.getSnapshotBeforeUpdate(y,_)),me=l&&l.type===Ce&&l.key==null?l.props.children:l,b.__P&&(l=i,s=(e=b.__P).namespaceURI,u=a=null,n.props&&n.props.__P!=e&&(n.__k.some(function(j){j&&ft(j,j)}),n.__k=null),i=n.__k?ae(n,0):null),i=rn(e,lt(me)?me:[me],t,n,o,s,a,r,i,u,d),b.__P&&(t.__e=null,i=l),t.__u&=-161,m&&m.some(le),p.__h.length&&r.push(p),1&p.__g&&(p.__g&=-4)}catch(j){if(r.length=h,t.__v=null,u||a)if(j&&j.then){if(t.__u|=128|u,a){for(~(ne=a.indexOf(i||void 0))||(ne=a.length);(ce=a[ne-1])&&ce.nodeType==8;)ne--;for(;ne<a.length;ne++)if(ce=a[ne])if(a[ne]=null,x){if(ce==Jt)break}else{if(ce.nodeType!=8)break;ce.data.startsWith("$s")&&(Jt=je(x=ce))}}if(!x){for(;i&&i.nodeType==8&&i.nextSibling;)i=i.nextSibling;x=i}(l=je(x=t.__c.__z||(t.__c.__z=x)))?(t.__e=x,i=l):t.__e=i,i=i&&i.nextSibling}else a&&a.some(le);else t.__e=n.__e;t.__k||(t.__k=n.__k||[]),j&&j.then||ln(t),T.__e(j,t,n)}}else i=t.__e=Go(n.__e,t,n,o,s,a,r,u,d,e);return(l=T.diffed)&&l(t),i}function je(e,t){if(e&&e.nodeType==8&&e.data.startsWith("$s"))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith("$s"))n++;else if(e.data.startsWith("/$s")&&!--n)return e}t&&t.push(e)}}function ln(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(ln))}function un(e,t,n){for(var o=0;o<n.length;)dt(n[o++],n[o++],n[o++]);T.__c&&T.__c(t,e),e.some(function(s){try{e=s.__h,s.__h=[],e.some(function(a){a.call(s)})}catch(a){T.__e(a,s.__v)}})}function Go(e,t,n,o,s,a,r,i,u,d){var l,m,h,p,y,_,v,b,k=n.props||qe,R=t.props,D=t.type;if(D=="svg"?s="http://www.w3.org/2000/svg":D=="math"?s="http://www.w3.org/1998/Math/MathML":s||(s="http://www.w3.org/1999/xhtml"),a){for(l=0;l<a.length;l++)if((y=a[l])&&(D?y.localName==D:y.nodeType==3)){e=y,a[l]=null;break}}if(!e){if(b=d.ownerDocument||document,!D)return b.createTextNode(R);e=b.createElementNS(s,D,R.is?R:d),i&&(T.__m&&T.__m(t,a),i=!1),a=null}if(D){if(d=D=="template"&&e.content||e,a=D=="textarea"&&R.defaultValue!=null?null:a&&ut.call(d.childNodes),!i&&a)for(k={},l=0;l<e.attributes.length;l++)k[(y=e.attributes[l]).name]=y.value;for(l in k)y=k[l],l=="dangerouslySetInnerHTML"?h=y:l=="children"||l in R||l=="value"&&"defaultValue"in R||l=="checked"&&"defaultChecked"in R||Fe(e,l,null,y,s);for(l in R)y=R[l],l=="children"?p=y:l=="dangerouslySetInnerHTML"?m=y:l=="value"?_=y:l=="checked"?v=y:i&&typeof y!="function"||k[l]===y||Fe(e,l,y,k[l],s);m?(i||h&&(m.__html==h.__html||m.__html==e.innerHTML)||(e.innerHTML=m.__html),t.__k=[]):(h&&(e.textContent=""),(D=="foreignObject"||s=="http://www.w3.org/1998/Math/MathML"&&jo.test(D))&&(s="http://www.w3.org/1999/xhtml"),rn(d,lt(p)?p:[p],t,n,o,s,a,r,a?a[0]:n.__k&&ae(n,0),i,u),a&&a.some(le)),i&&D!="textarea"||(l="value",D=="progress"&&_==null?e.removeAttribute(l):_==null||_===e[l]&&(D!="progress"||_)||Fe(e,l,_,k[l],s),l="checked",v!=null&&v!=e[l]&&Fe(e,l,v,k[l],s))}else k===R||i&&e.data==R||(e.data=R);return e}function dt(e,t,n,o){try{typeof e=="function"?t?t.__x=e(t)||1:o&&(o=o.__c||o.__e)&&(t=o.__x)&&(o.__x=null,typeof t=="function"?t():e(null)):e.current=t}catch(s){T.__e(s,n)}}function ft(e,t,n){var o,s,a,r;if(T.unmount&&T.unmount(e),!(o=e.ref)||o.current&&o.current!=e.__e||dt(o,null,t,e),o=e.__c){if(o.componentWillUnmount)try{o.componentWillUnmount()}catch(i){T.__e(i,t)}o.__P=o.__n=null}if(o=e.__k)for(r=0;r<o.length;r++)o[r]&&ft(o[r],t,typeof e.type!="function"||n&&!e.props.__P);!n&&(o=e.__c)&&(o=o.__z)&&(s=je(o,a=[]))&&(o==e.__e&&a.some(le),le(s),le(o)),n||le(e.__e),e.__e=e.__c=e.__=null}function zo(e,t,n){return this.constructor(e,n)}function mt(e,t){var n,o,s,a;T.__&&T.__(e,t),t.nodeType==9&&(t=t.documentElement),o=(n=e&&32&e.__u)?null:t.__k,t.__k=ke(Ce,{children:[e]}),s=[],a=[],pt(t,t.__k,o||qe,qe,t.namespaceURI,o?null:t.firstChild?ut.call(t.childNodes):null,s,o?o.__e:t.firstChild,n,a),un(s,t.__k,a),t.__k.props.children=null}T={__e:function(e,t,n,o){for(var s,a,r;t=t.__;)if((s=t.__c)&&!(1&s.__g)){s.__g|=4;try{if((r=(a=s.constructor)&&a.getDerivedStateFromError)&&s.setState(a.getDerivedStateFromError(e)),s.componentDidCatch&&(s.componentDidCatch(e,o||{}),r=1),r&&8&s.__g)return void(s.__g|=2)}catch(i){e=i}}throw We=0,e}},en=0,Fo=function(e){return e!=null&&e.constructor===xe},se.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=ue({},this.state)),typeof e=="function"&&(e=e(ue({},n),this.props)),e&&(ue(n,e),this.__v&&(t&&this.__k.push(t),Xt(this)))},se.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),Xt(this))},se.prototype.render=Ce,oe=[],We=0,tn=function(e,t){return e.__v.__b-t.__v.__b},Oe=Symbol(),nn=/(PointerCapture)$|Capture$/i,ct=0,it={},Oo=0;var dn=function(e,t,n,o){var s;t[0]=0;for(var a=1;a<t.length;a++){var r=t[a++],i=t[a]?(t[0]|=r?1:2,n[t[a++]]):t[++a];r===3?o[0]=i:r===4?o[1]=Object.assign(o[1]||{},i):r===5?(o[1]=o[1]||{})[t[++a]]=i:r===6?o[1][t[++a]]+=i+"":r?(s=e.apply(i,dn(e,i,n,["",null])),o.push(s),i[0]?t[0]|=2:(t[a-2]=0,t[a]=s)):o.push(i)}return o},pn=new Map;function fn(e){var t=pn.get(this);return t||(t=new Map,pn.set(this,t)),(t=dn(this,t.get(e)||(t.set(e,t=(function(n){for(var o,s,a=1,r="",i="",u=[0],d=function(h){a===1&&(h||(r=r.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?u.push(0,h,r):a===3&&(h||r)?(u.push(3,h,r),a=2):a===2&&r==="..."&&h?u.push(4,h,0):a===2&&r&&!h?u.push(5,0,!0,r):a>=5&&((r||!h&&a===5)&&(u.push(a,0,r,s),a=6),h&&(u.push(a,h,0,s),a=6)),r=""},l=0;l<n.length;l++){l&&(a===1&&d(),d(l));for(var m=0;m<n[l].length;m++)o=n[l][m],a===1?o==="<"?(d(),u=[u],a=3):r+=o:a===4?r==="--"&&o===">"?(a=1,r=""):r=o+r[0]:i?o===i?i="":r+=o:o==='"'||o==="'"?i=o:o===">"?(d(),a=1):a&&(o==="="?(a=5,s=r,r=""):o==="/"&&(a<5||n[l][m+1]===">")?(d(),a===3&&(u=u[0]),a=u,(u=u[0]).push(2,0,a),a=0):o===" "||o==="	"||o===`
`||o==="\r"?(d(),a=2):r+=o),a===3&&r==="!--"&&(a=4,u=u[0])}return d(),u})(e)),t),arguments,[])).length>1?t:t[0]}var he,N,ht,mn,gt=Object.is,Me=0,kn=[],_t=[],I=T,hn=I.__b,gn=I.__r,_n=I.diffed,yn=I.__c,$n=I.unmount,vn=I.__;function Be(e,t){I.__h&&I.__h(N,e,Me||t),Me=0;var n=N.__H||(N.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function g(e){return Me=1,Ge(xn,e)}function Ge(e,t,n){var o=Be(he++,2);if(o.t=e,!o.__c&&(o.__=[n?n(t):xn(void 0,t),function(a){var r=(o.__N||o.__)[0],i=o.t(r,a);gt(r,i)||(o.__N=[i,o.__[1]],o.__c.setState({}))}],o.__c=N,!N.__f)){N.__f=!0;var s=N.shouldComponentUpdate;N.shouldComponentUpdate=function(a,r,i){var u=this.__H;if(!u)return!0;var d=!1,l=this.props!=a;if(u.__.some(function(h){h.__N&&(d=!0,gt(h.__[0],h.__N[0])||(l=!0))}),s){var m=s.call(this,a,r,i);return d?m||l:m}return!d||l}}return o.__}function M(e,t){var n=Be(he++,3);!I.__s&&vt(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,N.__H.__h.push(n))}function Te(e,t){var n=Be(he++,4);!I.__s&&vt(n.__H,t)&&(n.__P=!1,n.__=e,n.u=t,N.__h.push(n))}function F(e){return Me=5,$t(function(){return{current:e}},[])}function $t(e,t){var n=Be(he++,7);return vt(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function ze(e,t){return Me=8,$t(function(){return e},t)}function Yo(){var e;do{for(;e=_t.shift();)try{Se(e)}catch(n){I.__e(n,{__:(e=e.__P)&&e.__v})}for(;e=kn.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(Se),t.__h.some(yt),t.__h=[]}catch(n){t.__h=[],I.__e(n,e.__v)}}}while(_t.length)}I.__b=function(e){N=null,hn&&hn(e)},I.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),vn&&vn(e,t)},I.__r=function(e){gn&&gn(e),he=0;var t=(N=e.__c).__H;t&&(ht==N?N.__h=[]:(t.__h.some(Se),t.__h.some(yt),he=0),t.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})),ht=N},I.diffed=function(e){_n&&_n(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&wn(kn.push(t)),t.__H.__.some(function(n){n.u&&(n.__H=n.u)})),ht=N=null},I.__c=function(e,t){t.some(function(n){try{n.__h.some(Se),n.__h=n.__h.filter(function(o){return!o.__||yt(o)})}catch(o){n.__h=[function(){throw o}]}}),yn&&yn(e,t)},I.unmount=function(e){$n&&$n(e);var t,n,o=e.__c;o&&o.__H&&(o.__H.__.some(function(s){try{if(s.__P&&s.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n=n&&n.__c}s.__P=n,wn(_t.push(s))}else Se(s)}catch(a){t=a}}),o.__H=void 0,t&&I.__e(t,o.__v))};var bn=typeof requestAnimationFrame=="function";function Vo(e){var t,n=function(){clearTimeout(o),bn&&cancelAnimationFrame(t),setTimeout(e)},o=setTimeout(n,35);bn&&(t=requestAnimationFrame(n))}function wn(e){e!=1&&mn==I.requestAnimationFrame||((mn=I.requestAnimationFrame)||Vo)(Yo)}function Se(e){var t=N,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),N=t}function yt(e){var t=N;e.__c=e.__(),N=t}function vt(e,t){return!e||e.length!=t.length||t.some(function(n,o){return!gt(n,e[o])})}function xn(e,t){return typeof t=="function"?t(e):t}var c=fn.bind(on);function Cn(e){class t extends se{shouldComponentUpdate(o){let s=this.props;for(let a in s)if(s[a]!==o[a])return!0;for(let a in o)if(!(a in s))return!0;return!1}render(o){return e(o)}}return t.displayName=e.name,t}var Q=class extends Error{constructor(t,n,o){super(o||"request failed ("+t+")"),this.status=t,this.code=n||""}},bt=()=>{};function Sn(e){bt=e}async function Mn(e){let t=null;try{t=await e.json()}catch{t=null}return e.status===401&&bt(),new Q(e.status,t&&t.code,t&&t.error)}async function ge(e,t,n){let o={method:e,headers:{},credentials:"same-origin"};n!==void 0&&(o.headers["Content-Type"]="application/json",o.body=JSON.stringify(n));let s;try{s=await fetch(t,o)}catch{throw new Q(0,"network","the daemon does not answer: is `pigeon daemon` still running?")}if(!s.ok)throw await Mn(s);return s.status===204||s.status===202?null:(s.headers.get("Content-Type")||"").includes("json")?s.json():s.text()}var P=e=>ge("GET",e),E=(e,t)=>ge("POST",e,t),W=(e,t)=>ge("PUT",e,t),wt=(e,t)=>ge("PATCH",e,t),re=e=>ge("DELETE",e),K=encodeURIComponent;function kt(e,t,n){let o=e.slice(2),s=e.startsWith("g:")?"/v1/groups/"+o:"/v1/conversations/"+o,a="?limit="+n;return t&&(a+="&before="+t),s+"/messages"+a}function Tn({key:e,file:t,caption:n,onProgress:o}){let s=new URLSearchParams;s.set(e.startsWith("g:")?"group":"to",e.slice(2)),t.name&&s.set("name",t.name),t.type&&s.set("mime",t.type),n&&s.set("caption",n);let a=new XMLHttpRequest;return{promise:new Promise((i,u)=>{a.open("POST","/v1/media?"+s.toString()),a.responseType="json",a.upload.onprogress=d=>o&&o(d.loaded,d.lengthComputable?d.total:t.size),a.onload=()=>{let d=a.response;if(a.status===201&&d&&d.id){i(d.id);return}a.status===401&&bt(),u(new Q(a.status,d&&d.code,d&&d.error))},a.onerror=()=>u(new Q(0,"network","the upload was cut off: is the daemon still running?")),a.onabort=()=>u(new Q(0,"aborted","upload cancelled")),a.send(t)}),abort:()=>a.abort()}}var _e=e=>"/v1/media/"+e+"/content",xt=e=>"/v1/media/"+e+"/thumbnail",De=e=>"/v1/qr.svg?text="+K(e);async function Dn(e){let t=await fetch("/v1/qr/decode",{method:"POST",credentials:"same-origin",headers:{"Content-Type":e.type||"application/octet-stream"},body:e});if(!t.ok)throw await Mn(t);return(await t.json()).text}function Ct(e,t){let n=document.createElement("a");n.href=_e(e),n.download=t||"",n.rel="noopener",document.body.append(n),n.click(),n.remove()}var pe=e=>"p:"+e,ye=e=>"g:"+e,$e=e=>e.group?ye(e.group):pe(e.peer),de=e=>(e.startsWith("g:")?"/group/":"/chat/")+e.slice(2),q=e=>e?e.slice(0,12)+"…":"",St=new Intl.DateTimeFormat(void 0,{hour:"2-digit",minute:"2-digit"}),Pn=new Intl.DateTimeFormat(void 0,{weekday:"long"}),Qo=new Intl.DateTimeFormat(void 0,{year:"numeric",month:"short",day:"numeric"}),Ko=new Intl.DateTimeFormat(void 0,{month:"short",day:"numeric"}),In=e=>e?Date.parse(e):0,Rn=e=>e?St.format(new Date(e)):"";function Ye(e){return new Date(e.getFullYear(),e.getMonth(),e.getDate()).getTime()}function Mt(e){let t=new Date(e);return t.getFullYear()*1e4+t.getMonth()*100+t.getDate()}function Tt(e,t=Date.now()){let n=new Date(e),o=Math.round((Ye(new Date(t))-Ye(n))/864e5);return o===0?"Today":o===1?"Yesterday":o>1&&o<7?Pn.format(n):Qo.format(n)}function Nn(e,t=Date.now()){if(!e)return"";let n=new Date(e),o=Math.round((Ye(new Date(t))-Ye(n))/864e5);return o===0?St.format(n):o===1?"Yesterday":o>1&&o<7?Pn.format(n):Ko.format(n)}function An(e,t=Date.now()){if(!e)return"";let n=Tt(e,t),o=St.format(new Date(e));return n==="Today"?"last seen today at "+o:n==="Yesterday"?"last seen yesterday at "+o:"last seen "+n+" at "+o}function J(e){if(e==null)return"";if(e<1024)return e+" B";let t=["KB","MB","GB","TB"],n=e/1024,o=0;for(;n>=1024&&o<t.length-1;)n/=1024,o++;return(n<10?n.toFixed(1):Math.round(n))+" "+t[o]}var Dt=(e,t)=>t>0?Math.min(100,Math.floor(e*100/t)):0,Ln=e=>(e||"?").trim().slice(0,1).toUpperCase()||"?";function H(...e){return e.filter(Boolean).join(" ")}var Jo=/pgi[a-z2-7]{160}/,Xo=/pg[a-z2-7]{58}(?![a-z2-7])/;function Ve(e){let t=(e||"").trim(),n=t.toLowerCase(),o=n.match(Jo);if(o)return{kind:"invite",link:o[0]};let s=n.match(Xo);if(!s)return null;let a="",r=t.indexOf("?");if(r>=0)try{a=new URLSearchParams(t.slice(r+1)).get("name")||""}catch{a=""}return{kind:"account",account:s[0],name:a}}function En(e,t){return"pigeon:"+e+(t?"?name="+encodeURIComponent(t):"")}var Un=e=>(e||"").replace(/(\d{5})(?=\d)/g,"$1 ");var Ke=50,f={boot:"loading",bootError:"",me:null,conn:"connecting",convs:[],contacts:new Map,groups:new Map,presence:new Map,typing:new Map,progress:new Map,uploads:[],chats:new Map,open:"",identity:new Map,storageFull:!1,autoDownload:null,toasts:[],visible:document.visibilityState==="visible"},Pe=new Set,Pt=!1;function C(){Pt||(Pt=!0,queueMicrotask(()=>{Pt=!1;for(let e of Pe)e()}))}function Hn(e){return Pe.add(e),()=>Pe.delete(e)}function Zo(e,t){if(Object.is(e,t))return!0;if(!e||!t||typeof e!="object"||typeof t!="object")return!1;let n=Object.keys(e);if(n.length!==Object.keys(t).length)return!1;for(let o of n)if(!Object.is(e[o],t[o]))return!1;return!0}function w(e){let[,t]=Ge(s=>s+1,0),n=F(null),o=e(f);return n.current={sel:e,val:o},Te(()=>{let s=()=>{let a=n.current;Zo(a.sel(f),a.val)||t()};return Pe.add(s),s(),()=>Pe.delete(s)},[]),o}var es=0;function L(e,t="info"){let n=++es;f.toasts=[...f.toasts,{id:n,text:e,kind:t}],C(),setTimeout(()=>At(n),t==="error"?8e3:4e3)}function At(e){f.toasts=f.toasts.filter(t=>t.id!==e),C()}function S(e){e instanceof Q&&e.status===401||L(e&&e.message?e.message:String(e),"error")}function B(e){if(!e)return"";if(f.me&&e===f.me.account)return"You";let t=f.contacts.get(e);return t&&t.name||q(e)}function G(e){if(e.startsWith("g:")){let o=f.groups.get(e.slice(2));return o&&o.name||"Group "+e.slice(2,10)}let t=f.contacts.get(e.slice(2));if(t&&t.name)return t.name;let n=f.convs.find(o=>o.key===e);return n&&n.name||q(e.slice(2))}async function Z(){let e=await P("/v1/contacts");f.contacts=new Map(e.map(t=>[t.account,t]));for(let t of e)if(t.identity_changed_at&&!f.identity.has(t.account)&&(f.identity=new Map(f.identity).set(t.account,{account:t.account,at:t.identity_changed_at})),!t.identity_changed_at&&f.identity.has(t.account)){let n=new Map(f.identity);n.delete(t.account),f.identity=n}C()}async function Je(){let e=await P("/v1/groups");f.groups=new Map(e.map(t=>[t.id,t])),C()}async function Y(e){try{let t=await P("/v1/groups/"+e);f.groups=new Map(f.groups).set(e,t)}catch(t){if(t.status===404){let n=new Map(f.groups);n.delete(e),f.groups=n}else throw t}C()}function ts(e){return{key:e.group?ye(e.group):pe(e.peer),peer:e.peer||"",group:e.group||"",name:e.name||"",last:e.last,unread:e.unread}}var Bn=0,Gn=new Map;async function ie(){let e=Bn,n=(await P("/v1/conversations")).map(ts);for(let s of n)(Gn.get(s.key)||0)>e&&(s.unread=0);let o=new Set(n.map(s=>s.key));for(let s of f.groups.values()){let a=ye(s.id);!o.has(a)&&s.status==="active"&&n.push({key:a,peer:"",group:s.id,name:s.name,last:null,unread:0})}f.convs=n,C();for(let s of n.slice(0,30))s.peer&&!f.presence.has(s.peer)&&zn(s.peer)}var Fn=0;function ve(){clearTimeout(Fn),Fn=setTimeout(()=>ie().catch(()=>{}),300)}var It=new Set;async function zn(e){if(!It.has(e)){It.add(e);try{let t=await P("/v1/presence/"+e);f.presence=new Map(f.presence).set(e,t),C()}catch{}finally{It.delete(e)}}}async function Lt(){f.autoDownload=await P("/v1/media-settings/auto-download"),C()}async function Xe(){await Promise.all([Z(),Je(),Lt().catch(()=>{})]),await ie();let e=f.open;f.chats=new Map,f.boot="ready",C(),e&&await Et(e)}function ns(e){return{key:e,msgs:[],ids:new Set,hasOlder:!0,loading:!1,ready:!1}}function X(e){f.chats.set(e.key,e),C()}async function Et(e){f.open=e,C();let t=f.chats.get(e);if(!t||!t.ready){t=ns(e),t.loading=!0,X(t);try{let n=await P(kt(e,"",Ke)),o=f.chats.get(e),s=n.slice(),a=new Set(n.map(r=>r.id));for(let r of o.msgs)a.has(r.id)||(s.push(r),a.add(r.id));X({...o,msgs:s,ids:a,hasOlder:n.length===Ke,loading:!1,ready:!0})}catch(n){X({...f.chats.get(e),loading:!1}),S(n)}}e.startsWith("p:")&&zn(e.slice(2)),Re(e)}function Yn(){f.open="",C()}async function Vn(e){let t=f.chats.get(e);if(!t||!t.ready||t.loading||!t.hasOlder)return 0;X({...t,loading:!0});try{let n=t.msgs.length?t.msgs[0].id:"",o=await P(kt(e,n,Ke)),s=f.chats.get(e),a=o.filter(r=>!s.ids.has(r.id));for(let r of a)s.ids.add(r.id);return X({...s,msgs:a.concat(s.msgs),hasOlder:o.length===Ke,loading:!1}),a.length}catch(n){return X({...f.chats.get(e),loading:!1}),S(n),0}}var On={pending:0,failed:0,sent:1,received:1,delivered:2,read:3};function Ie(e,{incoming:t=!1}={}){let n=$e(e),o=f.chats.get(n);if(o&&!o.ids.has(e.id))o.ids.add(e.id),X({...o,msgs:o.msgs.concat([e])});else if(o){let u=o.msgs.findLast(d=>d.id===e.id);u&&(On[e.state]??0)>(On[u.state]??0)&&be(e.id,d=>({...d,state:e.state,pending:void 0}))}let s=f.convs.findIndex(u=>u.key===n),a=s>=0?f.convs[s]:null;if(a&&a.last&&a.last.id===e.id)return;let r=(a?a.unread:0)+(t&&!(f.open===n&&f.visible)?1:0),i={key:n,peer:e.peer||"",group:e.group||"",name:a&&a.name||e.peer_name||e.group_name||"",last:e,unread:r};f.convs=[i,...f.convs.filter(u=>u.key!==n)],C(),!a&&e.group&&!f.groups.has(e.group)&&Y(e.group).catch(()=>{})}function be(e,t){let n=!1;for(let s of f.chats.values()){if(!s.ids.has(e))continue;let a=s.msgs.findLastIndex(i=>i.id===e);if(a<0)continue;let r=s.msgs.slice();r[a]=t(r[a]),X({...s,msgs:r}),n=!0}let o=f.convs.findIndex(s=>s.last&&s.last.id===e);if(o>=0){let s=f.convs.slice();s[o]={...s[o],last:t(s[o].last)},f.convs=s,n=!0}return n&&C(),n}var Rt=new Set;async function Qn(e){for(let t of f.chats.values())if(t.ids.has(e))return;if(!Rt.has(e)){Rt.add(e);try{Ie(await P("/v1/messages/"+e))}catch{}finally{Rt.delete(e)}}}var Nt=new Map,jn=new Set;function Re(e){if(!e||e!==f.open||!f.visible)return;let t=f.convs.find(r=>r.key===e),n=f.chats.get(e),o=n?n.msgs.filter(r=>r.direction==="in"&&r.state==="received").map(r=>r.id):[];if((!t||!t.unread)&&!o.length)return;if(Nt.has(e)){jn.add(e);return}let s=new Set(o),a=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/read":"/v1/conversations/"+e.slice(2)+"/read";Nt.set(e,!0),E(a).then(()=>{Gn.set(e,++Bn),f.convs=f.convs.map(i=>i.key===e?{...i,unread:0}:i);let r=f.chats.get(e);r&&X({...r,msgs:r.msgs.map(i=>s.has(i.id)&&i.state==="received"?{...i,state:"read"}:i)}),C()}).catch(S).finally(()=>{Nt.delete(e),jn.delete(e)&&Re(e)})}function Kn(e){f.visible=e,C(),e&&Re(f.open)}async function Jn(e,t){let n=e.slice(2),o=e.startsWith("g:")?await E("/v1/groups/"+n+"/messages",{text:t}):await E("/v1/messages",{to:n,text:t}),s=await P("/v1/messages/"+o.id);return Ie(s),s}var os=0;async function Xn(e,t,n){let o=++os,s=t.type.startsWith("image/")?URL.createObjectURL(t):"",a=Tn({key:e,file:t,caption:n,onProgress:r=>{f.uploads=f.uploads.map(i=>i.uid===o?{...i,loaded:r}:i),C()}});f.uploads=[...f.uploads,{uid:o,key:e,name:t.name,size:t.size,loaded:0,error:"",abort:a.abort,preview:s}],C();try{let r=await a.promise,i=await P("/v1/messages/"+r);Ie(i),f.uploads=f.uploads.filter(u=>u.uid!==o)}catch(r){r.code==="aborted"?f.uploads=f.uploads.filter(i=>i.uid!==o):f.uploads=f.uploads.map(i=>i.uid===o?{...i,error:r.message}:i),r.code!=="aborted"&&S(r)}finally{s&&setTimeout(()=>URL.revokeObjectURL(s),6e4),C()}}function Zn(e){f.uploads=f.uploads.filter(t=>t.uid!==e),C()}var Qe=0,Wn=0;function Ze(e,t){let n=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/typing":"/v1/conversations/"+e.slice(2)+"/typing";clearTimeout(Wn);let o=Date.now();if(t){if(Wn=setTimeout(()=>Ze(e,!1),5e3),o-Qe<3e3)return;Qe=o}else{if(!Qe)return;Qe=0}E(n,{active:t}).catch(()=>{})}async function Ut(e){try{await E("/v1/media/"+e+"/fetch"),be(e,t=>t.media?{...t,media:{...t.media,state:"fetching",error:""}}:t)}catch(t){S(t)}}function eo(e){f.progress=new Map(f.progress).set(e.id,{phase:e.phase,done:e.done||0,total:e.total||0,direction:e.direction}),C()}function to(e){if(be(e.id,t=>t.media?{...t,media:{...t.media,state:e.state,error:e.error||"",retry_until:e.retry_until||""}}:t),e.state!=="fetching"&&f.progress.has(e.id)){let t=new Map(f.progress);t.delete(e.id),f.progress=t,C()}}var qn=0;function no(){let e=Date.now(),t=1/0,n=!1,o=new Map;for(let[s,a]of f.typing){let r=new Map;for(let[i,u]of a)u>e?(r.set(i,u),t=Math.min(t,u)):n=!0;r.size&&o.set(s,r)}n&&(f.typing=o,C()),clearTimeout(qn),t!==1/0&&(qn=setTimeout(no,t-e+50))}function Ft(e,t,n,o){let s=new Map(f.typing),a=new Map(s.get(e)||[]);n?a.set(t,In(o)||Date.now()+6e3):a.delete(t),a.size?s.set(e,a):s.delete(e),f.typing=s,C(),no()}function oo(e){let t=f.presence.get(e.account)||{};f.presence=new Map(f.presence).set(e.account,{...t,account:e.account,state:e.state,last_seen:e.last_seen||t.last_seen}),C()}async function Ot(e,t){await W("/v1/contacts/"+K(e),t?{name:t}:{}),await Z(),ve()}async function so(e){await E("/v1/contacts/"+K(e)+"/verify");let t=new Map(f.identity);t.delete(e),f.identity=t,await Z()}async function ao(e,t,n){let o=await E("/v1/groups",{name:e,description:t,members:n});return f.groups=new Map(f.groups).set(o.id,o),await ie(),o}async function et(e){let t=await E("/v1/groups/join",{link:e});return await Je(),await ie(),t}var tt=new Set;function O(e,{replace:t=!1}={}){if(e!==location.pathname){t?history.replaceState(null,"",e):history.pushState(null,"",e);for(let n of tt)n()}}window.addEventListener("popstate",()=>{for(let e of tt)e()});function ro(e=location.pathname){let t=e.split("/").filter(Boolean),[n,o,s]=t;return(n==="chat"||n==="group")&&o?{name:"chat",key:(n==="group"?"g:":"p:")+o,info:s==="info"}:n==="contacts"||n==="me"||n==="settings"?{name:n}:{name:"home"}}function io(){let[e,t]=g(()=>ro());return M(()=>{let n=()=>t(ro());return tt.add(n),()=>tt.delete(n)},[]),e}function A(e){if(e.defaultPrevented||e.button!==0||e.metaKey||e.ctrlKey||e.shiftKey||e.altKey)return;let t=e.currentTarget;e.preventDefault(),O(t.getAttribute("href"))}var jt=()=>"Notification"in window,nt=()=>jt()?Notification.permission:"unsupported";async function ot(){return jt()?Notification.requestPermission():"unsupported"}function lo(e){if(!document.hidden||!jt()||Notification.permission!=="granted")return;let t=$e(e),n=G(t),o=e.group?B(e.sender)+" in "+n:n,s=e.media?"📎 "+(e.text||e.media.name||"a file"):e.text;try{let a=new Notification(o,{body:s.slice(0,200),tag:t,icon:document.querySelector("link[rel=icon]").href});a.onclick=()=>{window.focus(),O(de(t)),a.close()}}catch{}}var co="";function uo(){let e=0;for(let n of f.convs)e+=n.unread||0;let t=e>0?"("+e+") Pigeon":"Pigeon";t!==co&&(co=t,document.title=t)}var ee=null,qt="",Ne=0,Wt=0,Ht=!1,Ae=250,po=0,fo=Promise.resolve();function st(){if(clearTimeout(po),ee)return;Ht=!!qt;let e=Ht?"?epoch="+encodeURIComponent(qt)+"&after="+Ne:"",t=location.protocol==="https:"?"wss:":"ws:",n=new WebSocket(t+"//"+location.host+"/v1/events"+e);ee=n,n.onmessage=o=>{let s;try{s=JSON.parse(o.data)}catch{return}fo=fo.then(()=>ss(s)).catch(a=>console.error("pigeon: event",s.type,a))},n.onclose=()=>{ee===n&&(ee=null,f.conn="down",C(),po=setTimeout(st,Ae),Ae=Math.min(Ae*2,5e3))}}function Bt(){if(!(ee&&ee.readyState===WebSocket.OPEN)){if(ee){let e=ee;ee=null,e.onclose=null,e.close()}Ae=250,st()}}async function ss(e){if(e.type==="hello"){qt=e.epoch||"",Wt=e.seq||0,f.conn="live",Ae=250,C(),Ht||(Ne=Wt,await Xe());return}if(e.type==="reset"){Ne=Wt,await Xe();return}if(typeof e.seq=="number"){if(e.seq<=Ne)return;Ne=e.seq}as(e)}function as(e){switch(e.type){case"message_received":{let t=e.message;if(!t)return;let n=t.direction==="in";Ie(t,{incoming:n}),n&&(lo(t),Re($e(t)),ve());return}case"message_state_changed":{be(e.id,n=>({...n,state:e.state,pending:e.state==="pending"?n.pending:void 0}))||Qn(e.id);return}case"message_pending":{let t={code:e.code,reason:e.reason,attempts:e.attempts,next_attempt:e.next_attempt};for(let n of e.ids||[])be(n,o=>o.state==="pending"?{...o,pending:t}:o);return}case"typing":Ft(pe(e.from),e.from,e.active,e.until);return;case"group_typing":Ft(ye(e.group),e.from,e.active,e.until);return;case"presence":oo(e);return;case"group_changed":Y(e.group).then(()=>e.change==="created"||e.change==="member_added"||e.change==="member_joined"?ie():null).catch(()=>{});return;case"group_receipt":f.receiptTick=(f.receiptTick||0)+1,C();return;case"media_progress":eo(e);return;case"media_state":to(e);return;case"contact_changed":Z().then(ve).catch(()=>{});return;case"identity_changed":f.identity=new Map(f.identity).set(e.account,e),C(),Z().catch(()=>{});return;case"storage":f.storageFull=e.state==="full",C(),f.storageFull&&L("The disk is nearly full: Pigeon cannot store new messages or files until you free some space.","error");return;case"dropped":Xe().catch(()=>{}),Je().catch(()=>{});return}}var $=({name:e,label:t,class:n})=>t?c`<span class=${H("icon","i-"+e,n)} role="img" aria-label=${t}></span>`:c`<span class=${H("icon","i-"+e,n)} aria-hidden="true"></span>`;function z({name:e,online:t,small:n,group:o}){return c`<span class=${H("avatar",n&&"small")} aria-hidden="true">
    ${o?c`<${$} name="group" />`:Ln(e)}
    ${t&&c`<span class="dot"></span>`}
  </span>`}var rs=0;function U({title:e,onClose:t,children:n,actions:o,class:s,label:a}){let r=F(null),i=F("dlg"+ ++rs).current;return Te(()=>{let u=r.current,d=document.activeElement;return u.open||u.showModal(),()=>{u.open&&u.close(),d&&d.focus&&document.contains(d)&&d.focus()}},[]),c`<dialog
    ref=${r}
    class=${s}
    aria-labelledby=${a?void 0:i}
    aria-label=${a}
    onCancel=${u=>{u.preventDefault(),t()}}
  >
    <header class="bar">
      <h2 id=${i}>${e}</h2>
      <button type="button" class="icon-btn" aria-label="Close" onClick=${t}><${$} name="close" /></button>
    </header>
    <div class="dialog-body">${n}</div>
    ${o&&c`<div class="dialog-actions">${o}</div>`}
  </dialog>`}function fe(){let e=F(null);return M(()=>{e.current&&e.current.focus()},[]),e}async function Le(e){try{return await navigator.clipboard.writeText(e),!0}catch{return!1}}function is(e){let t=e.last;if(!t)return e.group?"No messages yet":"";let n="";return t.direction==="out"?n="You: ":t.group&&(n=(t.sender_name||B(t.sender))+": "),t.media?n+"📎 "+(t.text?t.text:t.media.name||"file"):n+t.text}function cs({c:e,current:t}){let n=e.name||G(e.key),o=w(i=>e.peer?i.presence.get(e.peer):null),s=w(i=>i.typing.has(e.key)),a=o&&o.state==="online",r=n+(e.unread?", "+e.unread+" unread":"")+(a?", online":"");return c`<li>
    <a
      href=${de(e.key)}
      class=${H("chat-item",e.unread>0&&"unread")}
      aria-current=${t?"page":void 0}
      aria-label=${r}
      onClick=${A}
      data-key=${e.key}
    >
      <${z} name=${n} group=${!!e.group} online=${a} />
      <span class="grow">
        <span class="top">
          <span class="name">${n}</span>
          <span class="time">${e.last?Nn(e.last.sent_at):""}</span>
        </span>
        <span class="bottom">
          <span class="preview">${s?c`<em>typing…</em>`:is(e)}</span>
          ${e.unread>0&&c`<span class="badge" aria-hidden="true">${e.unread}</span>`}
        </span>
      </span>
    </a>
  </li>`}function ls(){let[e,t]=g(nt()),[n,o]=g(localStorage.getItem("pigeon.notify-banner")==="no");return e!=="default"||n?null:c`<div class="banner">
    <span class="grow">Get notified of new messages while this tab is in the background.</span>
    <button type="button" class="btn" onClick=${async()=>t(await ot())}>Turn on</button>
    <button
      type="button"
      class="icon-btn"
      aria-label="Not now"
      onClick=${()=>{localStorage.setItem("pigeon.notify-banner","no"),o(!0)}}
    ><${$} name="close" /></button>
  </div>`}function mo({current:e,onNewGroup:t,onAddContact:n,onJoin:o}){let s=w(m=>m.convs),a=w(m=>m.conn),r=w(m=>m.me),[i,u]=g(""),d=i.trim().toLowerCase(),l=d?s.filter(m=>(m.name||G(m.key)).toLowerCase().includes(d)||(m.peer||m.group).startsWith(d)):s;return c`<nav class="sidebar" aria-label="Chats">
    <header class="bar">
      <a href="/me" class="icon-btn" onClick=${A} aria-label="My account and QR code"><${z} small name=${r?"Me":"?"} /></a>
      <h1 class="brand">Pigeon</h1>
      <button type="button" class="icon-btn" aria-label="New group" onClick=${t}><${$} name="group" /></button>
      <button type="button" class="icon-btn" aria-label="Add contact" onClick=${n}><${$} name="person-add" /></button>
      <button type="button" class="icon-btn" aria-label="Join a group by link" onClick=${o}><${$} name="link" /></button>
      <a href="/contacts" class="icon-btn" onClick=${A} aria-label="Contacts"><${$} name="people" /></a>
      <a href="/settings" class="icon-btn" onClick=${A} aria-label="Settings"><${$} name="gear" /></a>
    </header>
    ${a==="down"&&c`<div class="conn" role="status">Connection to the daemon lost; reconnecting…</div>`}
    <${ls} />
    <div class="filter" role="search">
      <label>
        <${$} name="search" />
        <span class="sr-only">Filter chats</span>
        <input
          type="search"
          placeholder="Filter chats (Ctrl+K: go to any chat)"
          value=${i}
          onInput=${m=>u(m.target.value)}
          onKeyDown=${m=>{m.key==="Enter"&&d&&l.length&&(m.preventDefault(),O(de(l[0].key)))}}
          id="chat-filter"
        />
      </label>
    </div>
    <ul class="chats" aria-label="Chat list">
      ${l.map(m=>c`<${cs} key=${m.key} c=${m} current=${m.key===e} />`)}
      ${!l.length&&c`<li class="hint">${d?"No chat matches “"+i+"”.":c`No chats yet. <a href="/contacts" onClick=${A}>Start one</a> with a contact, or add one by their account ID.`}</li>`}
    </ul>
  </nav>`}var go={pending:"pending",sent:"sent",delivered:"delivered",read:"read",failed:"not sent"},us={pending:"clock",sent:"check",delivered:"check2",read:"check2",failed:"alert"};function Gt({state:e}){let t=us[e];return t?c`<span class=${H("icon","i-"+t,"tick","tick-"+e)} role="img" aria-label=${go[e]} data-state=${e}></span>`:null}function _o(e,t){if(!e||!t)return{width:240,height:180};let n=Math.min(1,300/e,320/t);return{width:Math.max(40,Math.round(e*n)),height:Math.max(40,Math.round(t*n))}}function ho(e,t){switch(e.state){case"fetching":return t&&t.total?"downloading "+Dt(t.done,t.total)+"%":"downloading…";case"retrying":return"waiting for the sender to come online…";case"failed":return"download failed"+(e.error?": "+e.error:"");case"removed":return"removed from this device";case"remote":return"not downloaded"}return""}function yo({prog:e,label:t}){return!e||!e.total?c`<progress aria-label=${t}></progress>`:c`<progress aria-label=${t} max=${e.total} value=${e.done}></progress>`}function $o({media:e,prog:t}){let n=e.state==="local",o=e.state==="fetching"||e.state==="retrying",s=t&&t.direction==="download"?t:null;return c`<div class="file-card" data-media-state=${e.state}>
    <${$} name="doc" class="big" />
    <div class="grow">
      <div class="file-name" title=${e.name}>${e.name||"file"}</div>
      <div class="file-meta">${J(e.size)}${e.mime?" · "+e.mime:""}${ho(e,s)&&" · "+ho(e,s)}</div>
      ${o&&c`<${yo} prog=${s} label=${"Downloading "+(e.name||"file")} />`}
    </div>
    ${n?c`<button type="button" class="icon-btn" aria-label=${"Save "+(e.name||"file")} onClick=${()=>Ct(e.id,e.name)}>
          <${$} name="download" />
        </button>`:!o&&c`<button type="button" class="icon-btn" aria-label=${"Download "+(e.name||"file")+", "+J(e.size)} onClick=${()=>Ut(e.id)}>
          <${$} name="download" />
        </button>`}
  </div>`}function ps({media:e,prog:t,onOpen:n}){let o=e.state==="local",s=_o(e.width,e.height),a=o?_e(e.id):e.thumbnail?xt(e.id):"";if(!a)return c`<${$o} media=${e} prog=${t} />`;let r=e.state==="fetching"||e.state==="retrying";return c`<div>
    <button type="button" class=${H("media-img",!o&&"remote")} onClick=${n} aria-label=${"Open picture "+(e.name||"")}>
      <img src=${a} alt=${e.caption||e.name||"picture"} width=${s.width} height=${s.height} loading="lazy" decoding="async" />
    </button>
    ${!o&&c`<div class="row file-meta">
      ${r?c`<${yo} prog=${t} label=${"Downloading "+(e.name||"picture")} />`:c`<button type="button" class="btn" onClick=${()=>Ut(e.id)}><${$} name="download" /> ${J(e.size)}</button>`}
    </div>`}
  </div>`}function vo({media:e,onClose:t}){return c`<${U} title=${e.name||"Picture"} onClose=${t} class="viewer">
    <div class="viewer-body">
      <img src=${_e(e.id)} alt=${e.caption||e.name||"picture"} />
    </div>
    <div class="row">
      <button type="button" class="btn" onClick=${()=>Ct(e.id,e.name)}><${$} name="download" /> Save</button>
    </div>
  </${U}>`}function ds({media:e,prog:t,onOpen:n}){let o=e.mime||"",s=e.state==="local";return o.startsWith("image/")?c`<${ps} media=${e} prog=${t} onOpen=${n} />`:o.startsWith("video/")?c`<video
      class="media-video"
      controls
      preload=${s?"metadata":"none"}
      poster=${e.thumbnail?xt(e.id):void 0}
      src=${_e(e.id)}
      aria-label=${"Video "+(e.name||"")}
      width=${_o(e.width,e.height).width}
    ></video>`:o.startsWith("audio/")?c`<audio class="media-audio" controls preload=${s?"metadata":"none"} src=${_e(e.id)} aria-label=${"Audio "+(e.name||"")}></audio>`:c`<${$o} media=${e} prog=${t} />`}function bo({m:e,onClose:t}){let n=w(l=>l.receiptTick||0),o=w(l=>l.groups.get(e.group)),[s,a]=g(null),[r,i]=g("");M(()=>{P("/v1/groups/"+e.group+"/messages/"+e.id+"/receipts").then(l=>a(l.receipts||{})).catch(l=>i(l.message))},[n,e.id,e.group]);let u=o?o.members.filter(l=>!f.me||l.account!==f.me.account):[],d=new Set([...u.map(l=>l.account),...Object.keys(s||{})]);return c`<${U} title="Message info" onClose=${t}>
    <p class="text">${e.media?"📎 "+(e.media.name||"file")+(e.text?" — "+e.text:""):e.text}</p>
    ${r&&c`<p class="error-text">${r}</p>`}
    ${!s&&!r&&c`<p class="muted">Loading…</p>`}
    ${s&&c`<ul class="list receipts">
      ${[...d].map(l=>{let m=s[l]||"";return c`<li key=${l} data-account=${l} data-receipt=${m||"none"}>
          <span class="grow">${B(l)}</span>
          <span class="muted">${m==="read"?"Read":m==="delivered"?"Delivered":"Not yet delivered"}</span>
          <${Gt} state=${m==="read"?"read":m==="delivered"?"delivered":"sent"} />
        </li>`})}
    </ul>`}
  </${U}>`}var wo=Cn(function({m:t,sender:n,prog:o,onOpen:s,onInfo:a}){let r=t.direction==="out";return c`<div class=${H("msg",r?"out":"in")} data-id=${t.id} data-state=${t.state}>
    <div class="bubble">
      ${n?c`<span class="sender">${n}</span>`:c`<span class="sr-only">${r?"You:":""}</span>`}
      ${t.media&&c`<${ds} media=${t.media} prog=${o} onOpen=${()=>s(t.media)} />`}
      ${t.text&&c`<span class="text">${t.text}</span>`}
      <span class="meta">
        <time datetime=${t.sent_at}>${Rn(t.sent_at)}</time>
        ${r&&(t.group?c`<button type="button" aria-label=${"Message info: "+(go[t.state]||t.state)} onClick=${()=>a(t)}><${Gt} state=${t.state} /></button>`:c`<${Gt} state=${t.state} />`)}
      </span>
      ${r&&t.state==="pending"&&t.pending&&t.pending.reason&&c`<span class="why">${t.pending.reason}</span>`}
    </div>
  </div>`});function ko({u:e,onCancel:t}){return c`<div class="msg out upload" data-upload=${e.name}>
    <div class="bubble">
      ${e.preview&&c`<img src=${e.preview} alt="" />`}
      <div class="file-name">${e.name}</div>
      <div class="file-meta">${e.error?c`<span class="error-text">${e.error}</span>`:"sending "+Dt(e.loaded,e.size)+"% of "+J(e.size)}</div>
      ${!e.error&&c`<progress aria-label=${"Sending "+e.name} max=${e.size||1} value=${e.loaded}></progress>`}
      <div class="row"><button type="button" class="btn" onClick=${t}>${e.error?"Dismiss":"Cancel"}</button></div>
    </div>
  </div>`}var fs=0;function xo({chatKey:e,dropped:t}){let[n,o]=g(""),[s,a]=g([]),[r,i]=g(!1),u=F(null),d=F(null),l=_=>{let v=[..._].map(b=>({id:++fs,file:b,preview:b.type.startsWith("image/")?URL.createObjectURL(b):""}));v.length&&a(b=>b.concat(v)),u.current&&u.current.focus()},m=_=>a(v=>v.filter(b=>(b.id===_&&b.preview&&URL.revokeObjectURL(b.preview),b.id!==_)));M(()=>{t&&t.length&&l(t)},[t]),M(()=>{u.current&&u.current.focus({preventScroll:!0})},[]),M(()=>{let _=u.current;_&&(_.style.height="auto",_.style.height=_.scrollHeight+2+"px")},[n]);let h=async()=>{let _=n.trim();if(r||!_&&!s.length)return;let v=s;if(o(""),a([]),Ze(e,!1),v.length){v.forEach((b,k)=>{Xn(e,b.file,k===0?_:"").finally(()=>b.preview&&URL.revokeObjectURL(b.preview))});return}i(!0);try{await Jn(e,_)}catch(b){o(_),S(b)}finally{i(!1),u.current&&u.current.focus()}},p=_=>{_.key==="Enter"&&!_.shiftKey&&!_.isComposing&&(_.preventDefault(),h())},y=_=>{let v=_.clipboardData&&_.clipboardData.files;v&&v.length&&(_.preventDefault(),l(v))};return c`<div class="composer-wrap">
    ${s.length>0&&c`<ul class="staged" aria-label="Files to send">
      ${s.map(_=>c`<li class="staged-item" key=${_.id}>
          ${_.preview?c`<img src=${_.preview} alt="" />`:c`<${$} name="doc" />`}
          <span class="grow">${_.file.name} <span class="muted">${J(_.file.size)}</span></span>
          <button type="button" class="icon-btn" aria-label=${"Remove "+_.file.name} onClick=${()=>m(_.id)}><${$} name="close" /></button>
        </li>`)}
    </ul>`}
    <form
      class="composer"
      onSubmit=${_=>{_.preventDefault(),h()}}
    >
      <button type="button" class="icon-btn" aria-label="Attach files" onClick=${()=>d.current.click()}><${$} name="attach" /></button>
      <input ref=${d} type="file" multiple hidden aria-hidden="true" tabindex="-1" onChange=${_=>(l(_.target.files),_.target.value="")} />
      <label class="sr-only" for=${"composer-"+e}>${s.length?"Caption":"Message"}</label>
      <textarea
        id=${"composer-"+e}
        ref=${u}
        rows="1"
        placeholder=${s.length?"Add a caption":"Type a message"}
        value=${n}
        onInput=${_=>{o(_.target.value),_.target.value&&Ze(e,!0)}}
        onKeyDown=${p}
        onPaste=${y}
        aria-describedby="composer-help"
      ></textarea>
      <span id="composer-help" class="sr-only">Enter sends, Shift+Enter starts a new line. Paste or drop files to attach them.</span>
      <button type="submit" class="icon-btn send" aria-label="Send" disabled=${r}><${$} name="send" /></button>
    </form>
  </div>`}var at=200,we=50,Co=600,ms=(e,t)=>e===t||e.length===t.length&&e.every((n,o)=>n===t[o]);function hs({chatKey:e}){let t=w(n=>{let o=n.chats.get(e);return o?{loading:o.loading,hasOlder:o.hasOlder,ready:o.ready,empty:!o.msgs.length}:{empty:!0}});return t.loading?c`<p class="older" role="status">Loading older messages…</p>`:t.hasOlder?c`<p class="older"> </p>`:c`<p class="older">${t.ready?t.empty?"No messages yet":"The beginning of this chat":""}</p>`}var zt=class extends se{constructor(t){super(t),this.state={msgs:null,start:0,end:0,stick:!0,wantUp:!1},this.scroller=null,this.raf=0,this.olderFrom=0,this.openMedia=n=>t.onOpenMedia(n),this.openInfo=n=>t.onInfo(n),this.onScroll=()=>{this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check())))},this.setRef=n=>this.scroller=n,this.jump=()=>{let n=this.props.chat.msgs.length;this.setState({start:Math.max(0,n-we),end:n,stick:!0})}}static getDerivedStateFromProps(t,n){let o=t.chat.msgs;if(o===n.msgs)return null;let s=o.length;if(!n.msgs||!n.msgs.length||!s)return{msgs:o,start:Math.max(0,s-we),end:s,stick:!0,wantUp:!1};let a=n.msgs[0].id,r=0;if(o[0].id!==a&&(r=o.findIndex(l=>l.id===a),r<0))return{msgs:o,start:Math.max(0,s-we),end:s,stick:!0,wantUp:!1};let i=n.start+r,u=n.end+r,d=n.end===n.msgs.length;return n.wantUp&&r>0?(i=Math.max(0,i-we),u=Math.min(u,i+at)):d&&n.stick&&(u=s,i=Math.max(i,u-at)),{msgs:o,start:i,end:u,wantUp:n.wantUp&&r===0}}shouldComponentUpdate(t,n){let o=this.props,s=this.state;return t.chat.msgs!==o.chat.msgs||t.group!==o.group||t.progress!==o.progress||!ms(t.uploads,o.uploads)||n.msgs!==s.msgs||n.start!==s.start||n.end!==s.end||n.stick!==s.stick}getSnapshotBeforeUpdate(){let t=this.scroller;if(!t)return null;if(this.state.stick)return{stick:!0};let n=t.scrollTop;for(let o of t.querySelectorAll(".msg[data-id]"))if(o.offsetTop+o.offsetHeight>n)return{id:o.dataset.id,delta:o.offsetTop-n};return null}componentDidMount(){this.scroller.scrollTop=this.scroller.scrollHeight,this.check()}componentDidUpdate(t,n,o){let s=this.scroller;if(o&&o.stick)s.scrollTop=s.scrollHeight;else if(o&&o.id){let a=s.querySelector('.msg[data-id="'+o.id+'"]');a&&(s.scrollTop=a.offsetTop-o.delta)}this.olderFrom&&n.msgs!==this.state.msgs&&n.msgs&&this.state.msgs[0]!==n.msgs[0]&&(performance.measure("pigeon:older-page",{start:this.olderFrom,end:performance.now()}),this.olderFrom=0),this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check())))}componentWillUnmount(){cancelAnimationFrame(this.raf)}check(){let t=this.scroller;if(!t)return;let{chat:n}=this.props,{start:o,end:s}=this.state,a=n.msgs.length,r=t.scrollHeight-t.scrollTop-t.clientHeight,i=r<40&&s===a;if(i!==this.state.stick&&this.setState({stick:i}),t.scrollTop<Co)if(o>0){let u=Math.max(0,o-we);this.setState({start:u,end:Math.min(s,u+at),stick:!1})}else n.hasOlder&&!n.loading&&!this.state.wantUp&&(this.olderFrom=performance.now(),Vn(n.key).then(u=>{u||(this.olderFrom=0,this.setState({wantUp:!1}))}),this.setState({wantUp:!0}));else if(r<Co&&s<a){let u=Math.min(a,s+we);this.setState({end:u,start:Math.max(o,u-at)})}}render({chat:t,group:n,progress:o,uploads:s},{start:a,end:r,stick:i}){let u=t.msgs,d=[];a===0&&d.push(c`<${hs} key="older" chatKey=${t.key} />`);for(let l=a;l<r;l++){let m=u[l],h=l>0?u[l-1]:null,p=Mt(m.sent_at),y=!h||Mt(h.sent_at)!==p;y&&d.push(c`<div class="day" role="separator" key=${"d"+m.id}>${Tt(m.sent_at)}</div>`);let _=n&&m.direction==="in"&&(y||h.sender!==m.sender||h.direction!=="in")?m.sender_name||B(m.sender):"",v=m.media?o.get(m.media.id):void 0;d.push(c`<${wo} key=${m.id} m=${m} sender=${_} prog=${v} onOpen=${this.openMedia} onInfo=${this.openInfo} />`)}if(r===u.length)for(let l of s)d.push(c`<${ko} key=${"u"+l.uid} u=${l} onCancel=${()=>l.error?Zn(l.uid):l.abort()} />`);return c`<div
        class="messages"
        ref=${this.setRef}
        onScroll=${this.onScroll}
        tabindex="0"
        aria-label="Messages"
        data-start=${a}
        data-end=${r}
        data-total=${u.length}
      >
        ${d}
      </div>
      ${(!i||r<u.length)&&c`<button type="button" class="btn jump" onClick=${this.jump} aria-label="Jump to the latest message"><${$} name="down" /> Latest</button>`}`}};function gs({chatKey:e,group:t,info:n}){let o=e.startsWith("g:"),s=e.slice(2),a=w(()=>G(e)),r=w(m=>o?null:m.presence.get(s)),i=w(m=>m.typing.get(e)),u="",d=!1;if(i&&i.size){d=!0;let m=[...i.keys()].map(B);u=o?m.join(", ")+(m.length>1?" are typing…":" is typing…"):"typing…"}else o?u=t?t.members.map(m=>f.me&&m.account===f.me.account?"You":m.name||B(m.account)).join(", "):"":r&&(u=r.state==="online"?"online":r.last_seen?An(r.last_seen):"");let l=(o?"/group/":"/chat/")+s+"/info";return c`<header class="bar">
    <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${A}><${$} name="back" /></a>
    <${z} name=${a} group=${o} online=${r&&r.state==="online"} />
    <div class="title">
      <button type="button" onClick=${()=>O(n?l.slice(0,-5):l)} aria-label=${(n?"Hide":"Show")+" details of "+a}>
        <h2>${a}</h2>
        <span class=${H("subtitle",d&&"typing")} data-presence=${r?r.state:""}>${u}</span>
      </button>
    </div>
    <a href=${n?l.slice(0,-5):l} class="icon-btn" onClick=${A} aria-label=${o?"Group details":"Contact details"} aria-pressed=${n?"true":"false"}>
      <${$} name="info" />
    </a>
  </header>`}function _s({chat:e}){let[t,n]=g(""),o=F("");return M(()=>{let s=e.msgs[e.msgs.length-1];if(!s||s.id===o.current)return;let a=!o.current;o.current=s.id,!a&&s.direction==="in"&&n((s.sender_name||B(s.sender))+": "+(s.text||(s.media?"a file":"")))},[e.msgs]),c`<div class="sr-only" aria-live="polite">${t}</div>`}function So({chatKey:e,info:t}){let n=e.startsWith("g:"),o=e.slice(2),s=w(x=>x.chats.get(e)),a=w(x=>n?x.groups.get(o):null),r=w(x=>x.progress),i=w(x=>x.uploads),u=w(x=>n?null:x.identity.get(o)),[d,l]=g(null),[m,h]=g(null),[p,y]=g(!1),[_,v]=g(null),b=ze(x=>l(x),[]),k=ze(x=>h(x),[]),R=i.filter(x=>x.key===e),D=!n||!a||a.status==="active"&&(a.settings.post!=="admins"||a.role==="owner"||a.role==="admin"),te=n&&a&&a.status!=="active"?a.status==="left"?"You left this group.":"You were removed from this group.":D?"":"Only admins can send messages to this group.",Ue=x=>{te||!x.dataTransfer||![...x.dataTransfer.types].includes("Files")||(x.preventDefault(),y(!0))},me=x=>{y(!1),!(te||!x.dataTransfer||!x.dataTransfer.files.length)&&(x.preventDefault(),v([...x.dataTransfer.files]))};return c`<section
    class="conversation"
    aria-label=${"Chat with "+G(e)}
    data-chat=${e}
    onDragOver=${Ue}
    onDragLeave=${x=>x.currentTarget===x.target&&y(!1)}
    onDrop=${me}
  >
    <${gs} chatKey=${e} group=${a} info=${t} />
    ${u&&c`<div class="banner" role="alert">
      <${$} name="shield" />
      <span class="grow">${G(e)}'s device keys changed (a reinstall, or someone in between). Compare your safety number with them before you trust new messages.</span>
      <a class="btn" href=${"/chat/"+o+"/info"} onClick=${A}>Compare</a>
    </div>`}
    ${s?c`<${zt} key=${e} chat=${s} group=${n} progress=${r} uploads=${R} onOpenMedia=${b} onInfo=${k} />`:c`<div class="messages"></div>`}
    <${ys} chatKey=${e} />
    <${_s} chat=${s||{msgs:[]}} />
    ${te?c`<p class="readonly-note">${te}</p>`:c`<${xo} key=${e} chatKey=${e} dropped=${_} />`}
    ${p&&c`<div class="drop-hint" aria-hidden="true">Drop files to send them</div>`}
    ${d&&c`<${vo} media=${d} onClose=${()=>l(null)} />`}
    ${m&&c`<${bo} m=${m} onClose=${()=>h(null)} />`}
  </section>`}function ys({chatKey:e}){let t=w(o=>o.typing.get(e)),n=t?[...t.keys()].map(B):[];return c`<div class="typing-line" aria-live="polite" data-typing=${n.length?"yes":"no"}>
    ${n.length?e.startsWith("g:")?n.join(", ")+(n.length>1?" are typing…":" is typing…"):n[0]+" is typing…":""}
  </div>`}function Ee({onText:e}){let[t,n]=g(!1),[o,s]=g(""),a=F(null),r=async(i,u)=>{try{let d=await Dn(i);if(d)return n(!1),s(""),e(d),!0}catch(d){u||s(d.message||"No QR code found in that image.")}return!1};return M(()=>{let i=u=>{let d=u.clipboardData&&[...u.clipboardData.files].find(l=>l.type.startsWith("image/"));d&&(u.preventDefault(),r(d))};return document.addEventListener("paste",i),()=>document.removeEventListener("paste",i)},[]),c`<div class="scan">
    <div class="row">
      ${navigator.mediaDevices&&navigator.mediaDevices.getUserMedia&&c`<button type="button" class="btn" aria-pressed=${t?"true":"false"} onClick=${()=>n(!t)}>
        <${$} name="camera" /> ${t?"Stop camera":"Scan with camera"}
      </button>`}
      <button type="button" class="btn" onClick=${()=>a.current.click()}><${$} name="qr" /> QR code from an image</button>
      <input
        ref=${a}
        type="file"
        accept="image/png,image/jpeg"
        hidden
        aria-hidden="true"
        tabindex="-1"
        onChange=${i=>{let u=i.target.files[0];i.target.value="",u&&r(u)}}
      />
    </div>
    <p class="muted">You can also paste a screenshot of a QR code here.</p>
    ${t&&c`<${$s} onFrame=${i=>r(i,!0)} onError=${i=>(s(i),n(!1))} />`}
    ${o&&c`<p class="error-text" role="alert">${o}</p>`}
  </div>`}function $s({onFrame:e,onError:t}){let n=F(null);return M(()=>{let o=null,s=0,a=!1,r=document.createElement("canvas"),i=()=>{let u=n.current;if(!(a||!u)){if(u.videoWidth){r.width=u.videoWidth,r.height=u.videoHeight,r.getContext("2d").drawImage(u,0,0),r.toBlob(async d=>{d&&!a&&await e(d)&&(a=!0),a||(s=setTimeout(i,600))},"image/jpeg",.85);return}s=setTimeout(i,300)}};return navigator.mediaDevices.getUserMedia({video:{facingMode:"environment"}}).then(u=>{if(o=u,a)return u.getTracks().forEach(d=>d.stop());n.current.srcObject=u,n.current.play(),i()}).catch(()=>t("The camera is not available: allow it in the browser, or use an image of the code.")),()=>{a=!0,clearTimeout(s),o&&o.getTracks().forEach(u=>u.stop())}},[]),c`<div class="camera"><video ref=${n} muted playsinline aria-label="Camera"></video></div>`}function Mo({onClose:e,initial:t}){let[n,o]=g(t||""),[s,a]=g(""),[r,i]=g(""),[u,d]=g(!1),l=fe(),m=Ve(n);M(()=>{m&&m.kind==="account"&&m.name&&!s&&a(m.name)},[n]);let h=async p=>{if(p.preventDefault(),!m){i("That is not an account ID (pg… 60 characters) or a contact link. Ask your contact for the one on their “My account” screen.");return}d(!0),i("");try{if(m.kind==="invite"){let y=await et(m.link);L(y.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),O("/group/"+y.group);return}await Ot(m.account,s.trim()),e(),O("/chat/"+m.account)}catch(y){i(y.message)}finally{d(!1)}};return c`<${U}
    title="Add contact"
    onClose=${e}
    actions=${c`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="add-contact" class="btn primary" disabled=${u}>${m&&m.kind==="invite"?"Join group":"Add"}</button>`}
  >
    <form id="add-contact" onSubmit=${h}>
      <label class="field">
        <span>Account ID or link</span>
        <input ref=${l} type="text" name="account" autocomplete="off" spellcheck="false" value=${n} onInput=${p=>o(p.target.value)} placeholder="pg… or pigeon:pg…" />
      </label>
      ${m&&m.kind==="invite"&&c`<p class="muted">This is a group invite link: adding it joins the group.</p>`}
      ${(!m||m.kind==="account")&&c`<label class="field">
        <span>Name (only you see it)</span>
        <input type="text" name="name" value=${s} onInput=${p=>a(p.target.value)} />
      </label>`}
      ${r&&c`<p class="error-text" role="alert">${r}</p>`}
    </form>
    <${Ee} onText=${p=>(o(p),i(""))} />
  </${U}>`}function To(){let e=w(s=>s.me),[t,n]=g(localStorage.getItem("pigeon.my-name")||"");if(!e)return null;let o=En(e.account,t.trim());return c`<div class="card my-account">
    <h3>My account</h3>
    <p class="muted">Others add you with this ID, this link or by scanning the code.</p>
    <p class="mono" data-account=${e.account}>${e.account}</p>
    <div class="row">
      <button type="button" class="btn" onClick=${async()=>L(await Le(e.account)?"Account ID copied.":"Copy failed: select the ID and copy it.")}>
        <${$} name="copy" /> Copy ID
      </button>
      <button type="button" class="btn" onClick=${async()=>L(await Le(o)?"Contact link copied.":"Copy failed.")}>
        <${$} name="link" /> Copy contact link
      </button>
    </div>
    <label class="field">
      <span>Name to suggest in your link (optional)</span>
      <input
        type="text"
        value=${t}
        onInput=${s=>{n(s.target.value),localStorage.setItem("pigeon.my-name",s.target.value)}}
      />
    </label>
    <img class="qr" src=${De(o)} alt=${"QR code of your contact link "+o} width="220" height="220" />
    <p class="muted">Device ${e.device} · peer ${q(e.peer_id)}</p>
  </div>`}function Do({onAdd:e}){let n=[...w(o=>o.contacts).values()].sort((o,s)=>(o.name||o.account).localeCompare(s.name||s.account));return c`<section class="pane page" aria-labelledby="contacts-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${A}><${$} name="back" /></a>
      <h2 id="contacts-title">Contacts</h2>
      <button type="button" class="btn primary" onClick=${e}><${$} name="person-add" /> Add contact</button>
    </header>
    <div class="page-body">
      <div class="card">
        <ul class="list">
          ${n.map(o=>c`<li key=${o.account} data-account=${o.account}>
              <${z} small name=${o.name} />
              <span class="grow">
                <strong>${o.name||q(o.account)}</strong>
                ${o.verified&&c` <span class="verified">✓ verified</span>`}
                ${o.identity_changed_at&&c` <span class="error-text">keys changed</span>`}
                <div class="mono muted">${o.account}</div>
              </span>
              <a class="btn" href=${"/chat/"+o.account} onClick=${A}><${$} name="chat" /> Message</a>
            </li>`)}
          ${!n.length&&c`<li class="muted">No contacts yet. Add one with their account ID, link or QR code.</li>`}
        </ul>
      </div>
      <${To} />
    </div>
  </section>`}function Po(){return c`<section class="pane page" aria-labelledby="me-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${A}><${$} name="back" /></a>
      <h2 id="me-title">My account</h2>
    </header>
    <div class="page-body"><${To} /></div>
  </section>`}function vs({account:e}){let t=w(p=>p.contacts.get(e)),n=w(p=>p.identity.get(e)),[o,s]=g(""),[a,r]=g(""),[i,u]=g(!1),[d,l]=g(null);M(()=>{P("/v1/contacts/"+K(e)+"/safety-number").then(p=>s(p.safety_number)).catch(p=>r(p.message))},[e,t&&t.identity_changed_at,n]);let m=Un(o).split(" ").filter(Boolean),h=async()=>{try{await so(e),L("Marked as verified.")}catch(p){S(p)}};return c`<div class="section safety-number">
    <h3>Safety number</h3>
    ${(n||t&&t.identity_changed_at)&&c`<p class="banner" role="alert"><${$} name="shield" /> Their device keys changed${t&&t.verified?" since you verified it":""} (a reinstall, or someone in between). Compare the safety number again before you trust new messages.</p>`}
    ${a&&c`<p class="error-text">${a}</p>`}
    ${o&&c`<div class="safety" aria-label=${"Safety number "+m.join(" ")} data-safety=${o}>${m.map((p,y)=>c`<span key=${y}>${p}</span>`)}</div>
      <img class="qr" src=${De(o)} alt="QR code of the safety number, for the other side to scan" width="220" height="220" />
      <p class="muted">Compare these digits with ${t&&t.name?t.name:"your contact"}'s screen, in person or on a call, or scan each other's code.</p>`}
    ${i&&c`<${Ee}
      onText=${p=>{u(!1),l(p.replace(/\s/g,"")===o)}}
    />`}
    ${d===!0&&c`<p class="verified" role="status">The numbers match.</p>`}
    ${d===!1&&c`<p class="error-text" role="alert">The numbers do not match: do not verify.</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${()=>u(!i)}><${$} name="camera" /> ${i?"Stop scanning":"Scan their code"}</button>
      ${t&&t.verified&&!t.identity_changed_at?c`<span class="verified"><${$} name="shield" /> Verified</span>`:c`<button type="button" class="btn primary" onClick=${h} disabled=${!t}>Mark as verified</button>`}
    </div>
  </div>`}var bs=[[-1,"As in Settings"],[0,"Never"],[1<<20,"Up to 1 MB"],[16<<20,"Up to 16 MB"],[100<<20,"Up to 100 MB"],[16*1024*1024*1024,"Always"]];function ws({account:e}){let[t,n]=g(localStorage.getItem("pigeon.auto."+e)||"-1"),o=async s=>{try{await W("/v1/conversations/"+K(e)+"/auto-download",{max_bytes:Number(s)}),localStorage.setItem("pigeon.auto."+e,s),n(s)}catch(a){S(a)}};return c`<label class="field">
    <span>Download files from this chat on arrival</span>
    <select value=${t} onChange=${s=>o(s.target.value)}>
      ${bs.map(([s,a])=>c`<option value=${String(s)}>${a}</option>`)}
    </select>
  </label>`}function Io({account:e}){let t=w(i=>i.contacts.get(e)),n=w(i=>i.presence.get(e)),[o,s]=g(t?t.name:"");M(()=>s(t?t.name:""),[t&&t.name]);let a=async i=>{i.preventDefault();try{await W("/v1/contacts/"+K(e),{name:o.trim()}),await Z(),ve(),L("Saved.")}catch(u){S(u)}},r=async()=>{if(confirm("Remove this contact? The chat stays."))try{await re("/v1/contacts/"+K(e)),await Z()}catch(i){S(i)}};return c`<aside class="drawer" aria-label="Contact details">
    <header class="bar">
      <a href=${"/chat/"+e} class="icon-btn" onClick=${A} aria-label="Close details"><${$} name="close" /></a>
      <h2>Contact details</h2>
    </header>
    <div class="section">
      ${t?c`<form onSubmit=${a} class="row">
            <label class="field grow"><span>Name</span><input type="text" value=${o} onInput=${i=>s(i.target.value)} /></label>
            <button class="btn" type="submit">Save</button>
          </form>`:c`<p>Not in your contacts.</p>
            <button type="button" class="btn primary" onClick=${()=>Ot(e,"").catch(S)}>Add to contacts</button>`}
      <p class="label">Account ID</p>
      <p class="mono">${e}</p>
      ${n&&c`<p class="muted">${n.state==="online"?"Online":n.state==="offline"?"Offline":"Presence not shared"}</p>`}
    </div>
    <${vs} account=${e} />
    <div class="section">
      <h3>Files</h3>
      <${ws} account=${e} />
    </div>
    ${t&&c`<div class="section"><button type="button" class="btn danger" onClick=${r}><${$} name="trash" /> Remove contact</button></div>`}
  </aside>`}function Ro({chosen:e,onChange:t,exclude:n}){let s=[...w(a=>a.contacts).values()].filter(a=>!n||!n.has(a.account));return s.length?c`<fieldset class="pick">
    <legend class="sr-only">Members</legend>
    ${s.map(a=>c`<label key=${a.account}>
        <input
          type="checkbox"
          checked=${e.has(a.account)}
          onChange=${r=>{let i=new Set(e);r.target.checked?i.add(a.account):i.delete(a.account),t(i)}}
        />
        ${a.name||q(a.account)}
      </label>`)}
  </fieldset>`:c`<p class="muted">No contacts to choose from. Add contacts first, or share an invite link.</p>`}function No({onClose:e}){let[t,n]=g(""),[o,s]=g(""),[a,r]=g(new Set),[i,u]=g(""),[d,l]=g(!1),m=fe(),h=async p=>{if(p.preventDefault(),!t.trim()){u("Give the group a name.");return}l(!0);try{let y=await ao(t.trim(),o.trim(),[...a]);e(),O("/group/"+y.id)}catch(y){u(y.message)}finally{l(!1)}};return c`<${U}
    title="New group"
    onClose=${e}
    actions=${c`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="new-group" class="btn primary" disabled=${d}>Create</button>`}
  >
    <form id="new-group" onSubmit=${h}>
      <label class="field"><span>Name</span><input ref=${m} type="text" name="name" value=${t} onInput=${p=>n(p.target.value)} /></label>
      <label class="field"><span>Description (optional)</span><textarea rows="2" name="description" value=${o} onInput=${p=>s(p.target.value)}></textarea></label>
      <p class="label">Members</p>
      <${Ro} chosen=${a} onChange=${r} />
      ${i&&c`<p class="error-text" role="alert">${i}</p>`}
    </form>
  </${U}>`}function Ao({onClose:e}){let[t,n]=g(""),[o,s]=g(""),[a,r]=g(!1),i=fe(),u=async d=>{let l=Ve(d);if(!l||l.kind!=="invite"){s("That is not a group invite link (it starts with pgi). Ask a member for a new one.");return}r(!0),s("");try{let m=await et(l.link);L(m.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),O("/group/"+m.group)}catch(m){s(m.message)}finally{r(!1)}};return c`<${U}
    title="Join a group"
    onClose=${e}
    actions=${c`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="join-group" class="btn primary" disabled=${a}>${a?"Asking the group…":"Join"}</button>`}
  >
    <form
      id="join-group"
      onSubmit=${d=>{d.preventDefault(),u(t)}}
    >
      <label class="field"><span>Invite link</span><input ref=${i} type="text" name="link" autocomplete="off" spellcheck="false" value=${t} onInput=${d=>n(d.target.value)} placeholder="pgi…" /></label>
      ${o&&c`<p class="error-text" role="alert">${o}</p>`}
    </form>
    <${Ee} onText=${d=>(n(d),u(d))} />
  </${U}>`}var Vt=(e,t)=>e.role==="owner"||e.role==="admin"||e.settings&&e.settings[t]==="members"&&e.role==="member";function ks({g:e}){let[t,n]=g(""),[o,s]=g("86400"),a=async()=>{try{let i=await E("/v1/groups/"+e.id+"/invites",{ttl_seconds:Number(o)});n(i.link),Y(e.id)}catch(i){S(i)}},r=async()=>{try{await E("/v1/groups/invites/revoke",{link:t}),n(""),Y(e.id),L("Invite link revoked: nobody can join with it now.")}catch(i){S(i)}};return c`<div class="section invites">
    <h3>Invite link</h3>
    ${t?c`<p class="mono" data-invite=${t}>${t}</p>
          <img class="qr" src=${De(t)} alt="QR code of the invite link" width="220" height="220" />
          <div class="row">
            <button type="button" class="btn" onClick=${async()=>L(await Le(t)?"Invite link copied.":"Copy failed: select the link and copy it.")}>
              <${$} name="copy" /> Copy
            </button>
            <button type="button" class="btn danger" onClick=${r}>Revoke</button>
          </div>`:c`<div class="row">
          <label class="field grow">
            <span>Valid for</span>
            <select value=${o} onChange=${i=>s(i.target.value)}>
              <option value="3600">1 hour</option>
              <option value="86400">1 day</option>
              <option value="604800">1 week</option>
              <option value="0">Until revoked</option>
            </select>
          </label>
          <button type="button" class="btn primary" onClick=${a}><${$} name="link" /> Create invite link</button>
        </div>`}
    ${e.invites&&e.invites.length>0&&c`<p class="muted">${e.invites.length} invite link${e.invites.length>1?"s":""} open.</p>`}
  </div>`}function xs({g:e}){let t=w(l=>l.contacts),[n,o]=g(!1),[s,a]=g(new Set),r=f.me&&f.me.account,i=e.role==="owner"||e.role==="admin",u=async l=>{try{await l(),await Y(e.id)}catch(m){S(m)}},d="/v1/groups/"+e.id+"/members";return c`<div class="section members">
    <h3>${e.members.length} members</h3>
    <ul class="list">
      ${e.members.map(l=>{let m=l.account===r?"You":l.name||(t.get(l.account)||{}).name||q(l.account);return c`<li key=${l.account} data-account=${l.account}>
          <${z} small name=${m} />
          <span class="grow">${m}</span>
          ${l.role!=="member"&&c`<span class="role">${l.role}</span>`}
          ${i&&l.account!==r&&l.role!=="owner"&&c`<span class="row">
            ${l.role==="member"?c`<button type="button" class="btn" onClick=${()=>u(()=>W(d+"/"+l.account+"/role",{role:"admin"}))} aria-label=${"Make "+m+" an admin"}>Make admin</button>`:e.role==="owner"&&c`<button type="button" class="btn" onClick=${()=>u(()=>W(d+"/"+l.account+"/role",{role:"member"}))} aria-label=${"Make "+m+" a member"}>Dismiss as admin</button>`}
            <button type="button" class="btn danger" onClick=${()=>confirm("Remove "+m+" from the group?")&&u(()=>re(d+"/"+l.account))} aria-label=${"Remove "+m}>
              Remove
            </button>
          </span>`}
        </li>`})}
    </ul>
    ${Vt(e,"add")&&(n?c`<div>
          <${Ro} chosen=${s} onChange=${a} exclude=${new Set(e.members.map(l=>l.account))} />
          <div class="row">
            <button
              type="button"
              class="btn primary"
              disabled=${!s.size}
              onClick=${()=>u(async()=>{await E(d,{accounts:[...s],role:"member"}),o(!1),a(new Set)})}
            >
              Add ${s.size||""}
            </button>
            <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
          </div>
        </div>`:c`<button type="button" class="btn" onClick=${()=>o(!0)}><${$} name="person-add" /> Add members</button>`)}
  </div>`}function Yt({g:e,k:t,label:n}){let o=async s=>{try{await wt("/v1/groups/"+e.id,{settings:{...e.settings,[t]:s}}),await Y(e.id)}catch(a){S(a)}};return c`<label class="field">
    <span>${n}</span>
    <select value=${e.settings[t]} onChange=${s=>o(s.target.value)}>
      <option value="members">All members</option>
      <option value="admins">Only admins</option>
    </select>
  </label>`}function Cs({g:e}){return c`<div class="section">
    <h3>Permissions</h3>
    <${Yt} g=${e} k="post" label="Who can send messages" />
    <${Yt} g=${e} k="add" label="Who can add members" />
    <${Yt} g=${e} k="edit_info" label="Who can change name and description" />
  </div>`}function Lo({id:e}){let t=w(l=>l.groups.get(e)),[n,o]=g(null),[s,a]=g(null);if(!t)return c`<aside class="drawer"><p class="hint">Loading the group…</p></aside>`;let r=t.status==="active",i=r&&Vt(t,"edit_info"),u=async l=>{l.preventDefault();try{await wt("/v1/groups/"+e,{name:(n??t.name).trim(),description:(s??t.description??"").trim()}),await Y(e),await ie(),o(null),a(null),L("Saved.")}catch(m){S(m)}},d=async()=>{if(confirm("Leave "+t.name+"? You will not get its messages any more."))try{await E("/v1/groups/"+e+"/leave"),await Y(e)}catch(l){S(l)}};return c`<aside class="drawer" aria-label="Group details" data-group=${e}>
    <header class="bar">
      <a href=${"/group/"+e} class="icon-btn" onClick=${A} aria-label="Close details"><${$} name="close" /></a>
      <h2>Group details</h2>
    </header>
    <div class="section">
      ${i?c`<form onSubmit=${u}>
            <label class="field"><span>Name</span><input type="text" name="name" value=${n??t.name} onInput=${l=>o(l.target.value)} /></label>
            <label class="field"><span>Description</span><textarea rows="3" name="description" value=${s??t.description??""} onInput=${l=>a(l.target.value)}></textarea></label>
            <button type="submit" class="btn" disabled=${n===null&&s===null}>Save</button>
          </form>`:c`<h3>${t.name}</h3>
            <p>${t.description}</p>`}
      <p class="muted">${r?"Your role: "+t.role:t.status==="left"?"You left this group.":"You were removed from this group."}</p>
    </div>
    ${r&&c`<${xs} g=${t} />`}
    ${r&&Vt(t,"add")&&c`<${ks} g=${t} />`}
    ${r&&(t.role==="owner"||t.role==="admin")&&c`<${Cs} g=${t} />`}
    ${r&&c`<div class="section"><button type="button" class="btn danger" onClick=${d}>Leave group</button></div>`}
  </aside>`}function Kt(e=localStorage.getItem("pigeon.theme")||"system"){e==="light"||e==="dark"?document.documentElement.dataset.theme=e:delete document.documentElement.dataset.theme}function Ss(){let[e,t]=g(null),[n,o]=g(""),[s,a]=g(""),r=()=>P("/v1/relays").then(t).catch(S);M(()=>{r();let d=setInterval(r,1e4);return()=>clearInterval(d)},[]);let i=async d=>{d.preventDefault();try{await E("/v1/relays",s.trim()?{addr:n.trim(),invite:s.trim()}:{addr:n.trim()}),o(""),a(""),L("Relay added: the node reserves a slot there now."),r()}catch(l){S(l)}},u=async d=>{if(confirm("Stop using relay "+q(d.peer_id)+"? What its mailbox holds for you is taken first."))try{await re("/v1/relays/"+d.peer_id),r()}catch(l){S(l)}};return c`<div class="card relays">
    <h3>Relays</h3>
    <p class="muted">Relays carry your encrypted messages while you are offline and connect you when you cannot be reached directly. They only see ciphertext.</p>
    <ul class="list">
      ${(e||[]).map(d=>c`<li key=${d.peer_id} data-peer=${d.peer_id}>
          <span class="grow">
            <span class="mono">${d.addr}</span>
            <div class="relay-stats">
              ${d.closing?"closing":d.reserved?"connected":"not connected"}
              ${d.latency_ms?" · "+d.latency_ms.toFixed(1)+" ms":""}
              ${d.region?" · "+d.region:""}
              ${d.mailbox?" · mailbox":""}
              ${d.push&&d.push!=="off"?" · push "+d.push+(d.push_reason?" ("+d.push_reason+")":""):""}
              ${d.last_error?c` · <span class="error-text">${d.last_error}</span>`:""}
            </div>
          </span>
          ${!d.closing&&c`<button type="button" class="btn danger" onClick=${()=>u(d)} aria-label=${"Remove relay "+d.addr}>Remove</button>`}
        </li>`)}
      ${e&&!e.length&&c`<li class="muted">No relays: others reach you only while you are online and reachable.</li>`}
    </ul>
    <form onSubmit=${i}>
      <label class="field"><span>Relay address</span><input type="text" name="relay" value=${n} onInput=${d=>o(d.target.value)} placeholder="/ip4/…/tcp/…/p2p/12D3Koo…" spellcheck="false" /></label>
      <label class="field"><span>Invite token (for invite-only relays)</span><input type="text" value=${s} onInput=${d=>a(d.target.value)} /></label>
      <button type="submit" class="btn" disabled=${!n.trim()}>Add relay</button>
    </form>
  </div>`}function Ms(){let[e,t]=g(null),[n,o]=g("unifiedpush"),[s,a]=g(""),[r,i]=g(""),[u,d]=g(""),l=()=>P("/v1/push").then(t).catch(S);M(()=>{l()},[]);let m=async p=>{p.preventDefault();let y={kind:n};n==="unifiedpush"||n==="webhook"?y.url=s.trim():y.token=r.trim(),n==="apns"&&(y.topic=u.trim());try{await W("/v1/push",y),L("Push endpoint set; each relay says below whether it will use it."),l()}catch(_){S(_)}},h=async()=>{try{await re("/v1/push"),l()}catch(p){S(p)}};return c`<div class="card push">
    <h3>Push wake-ups</h3>
    <p class="muted">Your relays can wake a phone or a server of yours when something arrives while this device is away. The wake-up carries no content.</p>
    ${e&&c`<p>${e.endpoint?"Now: "+e.described:"No push endpoint."}</p>
      <ul class="list">
        ${e.relays.map(p=>c`<li key=${p.peer_id}><span class="grow mono">${q(p.peer_id)}</span><span>${p.state}${p.reason?": "+p.reason:""}</span></li>`)}
      </ul>`}
    <form onSubmit=${m}>
      <label class="field">
        <span>Kind</span>
        <select value=${n} onChange=${p=>o(p.target.value)}>
          <option value="unifiedpush">UnifiedPush</option>
          <option value="webhook">Webhook</option>
          <option value="fcm">Firebase (FCM)</option>
          <option value="apns">Apple (APNs)</option>
        </select>
      </label>
      ${n==="unifiedpush"||n==="webhook"?c`<label class="field"><span>URL</span><input type="url" value=${s} onInput=${p=>a(p.target.value)} /></label>`:c`<label class="field"><span>Token</span><input type="text" value=${r} onInput=${p=>i(p.target.value)} /></label>`}
      ${n==="apns"&&c`<label class="field"><span>Topic</span><input type="text" value=${u} onInput=${p=>d(p.target.value)} /></label>`}
      <div class="row">
        <button type="submit" class="btn">Set</button>
        ${e&&e.endpoint&&c`<button type="button" class="btn danger" onClick=${h}>Turn off</button>`}
      </div>
    </form>
  </div>`}function Ts(){let[e,t]=g("");M(()=>{P("/v1/presence/privacy").then(o=>t(o.who)).catch(S)},[]);let n=async o=>{try{await W("/v1/presence/privacy",{who:o}),t(o),L("Saved.")}catch(s){S(s)}};return c`<div class="card">
    <h3>Privacy</h3>
    <label class="field">
      <span>Who sees when you are online and when you were last seen</span>
      <select value=${e} onChange=${o=>n(o.target.value)}>
        ${!e&&c`<option value="">Loading…</option>`}
        <option value="everyone">Everyone</option>
        <option value="contacts">My contacts</option>
        <option value="nobody">Nobody</option>
      </select>
    </label>
  </div>`}var Qt=[[0,"Never (download when I ask)"],[1<<20,"Files up to 1 MB"],[16<<20,"Files up to 16 MB"],[100<<20,"Files up to 100 MB"],[16*1024*1024*1024,"All files"]];function Ds(){let e=w(s=>s.autoDownload),t=e?e.max_bytes:null,n=t==null||Qt.some(([s])=>s===t)?Qt:[...Qt,[t,"Files up to "+J(t)]],o=async s=>{try{await W("/v1/media-settings/auto-download",{max_bytes:Number(s)}),await Lt()}catch(a){S(a)}};return c`<div class="card">
    <h3>Automatic downloads</h3>
    <label class="field">
      <span>Download files on arrival</span>
      <select value=${t==null?"":String(t)} onChange=${s=>o(s.target.value)}>
        ${n.map(([s,a])=>c`<option value=${String(s)}>${a}</option>`)}
      </select>
    </label>
    <p class="muted">Each chat can have its own setting in its details.</p>
  </div>`}function Ps(){let[e,t]=g(localStorage.getItem("pigeon.theme")||"system"),[n,o]=g(nt()),s=a=>{localStorage.setItem("pigeon.theme",a),t(a),Kt(a)};return c`<div class="card">
    <h3>Appearance and notifications</h3>
    <fieldset class="field">
      <legend class="label">Theme</legend>
      <div class="row">
        ${["system","light","dark"].map(a=>c`<label key=${a}><input type="radio" name="theme" value=${a} checked=${e===a} onChange=${()=>s(a)} /> ${a==="system"?"Follow the system":a==="light"?"Light":"Dark"}</label>`)}
      </div>
    </fieldset>
    <p>
      Notifications:
      ${n==="granted"?" on, while this tab is in the background.":n==="denied"?" blocked in this browser’s site settings.":n==="unsupported"?" not supported by this browser.":c` <button type="button" class="btn" onClick=${async()=>o(await ot())}>Turn on</button>`}
    </p>
  </div>`}function Is(){return c`<div class="card">
    <h3>This browser</h3>
    <p class="muted">Signing out ends this browser's session; run <code>pigeon web</code> to sign in again.</p>
    <button type="button" class="btn danger" onClick=${async()=>{try{await E("/v1/web/logout")}catch(t){if(t.status!==401)return S(t)}f.boot="signedout",f.me=null,location.replace("/")}}>Sign out</button>
  </div>`}function Eo(){return c`<section class="pane page" aria-labelledby="settings-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${A}><${$} name="back" /></a>
      <h2 id="settings-title">Settings</h2>
    </header>
    <div class="page-body">
      <${Ps} />
      <${Ts} />
      <${Ds} />
      <${Ss} />
      <${Ms} />
      <${Is} />
    </div>
  </section>`}function Rs(){let e=f.convs.map(n=>({key:n.key,name:n.name||G(n.key),group:!!n.group})),t=new Set(e.map(n=>n.key));for(let n of f.contacts.values()){let o=pe(n.account);t.has(o)||e.push({key:o,name:n.name||G(o),group:!1})}return e}function Uo({onClose:e}){let[t,n]=g(""),[o,s]=g(0),a=fe(),r=t.trim().toLowerCase(),i=Rs(),u=(r?i.filter(h=>h.name.toLowerCase().includes(r)):i).slice(0,50),d=Math.min(o,u.length-1),l=h=>{h&&(e(),O(de(h.key)))},m=h=>{h.key==="ArrowDown"?(h.preventDefault(),s((d+1)%Math.max(1,u.length))):h.key==="ArrowUp"?(h.preventDefault(),s((d-1+u.length)%Math.max(1,u.length))):h.key==="Enter"&&(h.preventDefault(),l(u[d]))};return c`<${U} title="Go to chat" onClose=${e} class="switcher">
    <label class="sr-only" for="switcher-input">Chat name</label>
    <input
      id="switcher-input"
      ref=${a}
      type="text"
      role="combobox"
      aria-expanded="true"
      aria-controls="switcher-list"
      aria-autocomplete="list"
      aria-activedescendant=${u.length?"sw-"+d:void 0}
      autocomplete="off"
      placeholder="Type a name"
      value=${t}
      onInput=${h=>(n(h.target.value),s(0))}
      onKeyDown=${m}
    />
    <ul id="switcher-list" class="switcher-list" role="listbox" aria-label="Chats">
      ${u.map((h,p)=>c`<li id=${"sw-"+p} key=${h.key} role="option" aria-selected=${p===d?"true":"false"} onClick=${()=>l(h)} data-key=${h.key}>
          <${z} small name=${h.name} group=${h.group} />
          ${h.name}
        </li>`)}
      ${!u.length&&c`<li class="muted" role="option" aria-disabled="true" aria-selected="false">No chat matches.</li>`}
    </ul>
  </${U}>`}function Ns(){return c`<main class="signin" aria-labelledby="signin-title">
    <h1 id="signin-title">Sign in to Pigeon</h1>
    <p>This browser is not signed in to your Pigeon node (or its session ended).</p>
    <p>In a terminal on this computer, run <code>pigeon web</code>: it prints a one-time login link and opens it in your browser.</p>
    <p class="muted">The link works once, for 10 minutes. The session then lasts 30 days from its last use.</p>
  </main>`}function As(){let e=w(t=>t.toasts);return c`<div class="toasts" role="status" aria-live="polite">
    ${e.map(t=>c`<div key=${t.id} class=${"toast "+t.kind} role=${t.kind==="error"?"alert":void 0}>
        <span class="grow">${t.text}</span>
        <button type="button" aria-label="Dismiss" onClick=${()=>At(t.id)}><${$} name="close" /></button>
      </div>`)}
  </div>`}function Ls(){return c`<main class="pane empty-pane" id="main">
    <div class="card">
      <h2>Pigeon</h2>
      <p>Pick a chat on the left, or press <kbd>Ctrl</kbd>+<kbd>K</kbd> to jump to one.</p>
      <p class="muted">Messages are end-to-end encrypted and stored on your own node.</p>
    </div>
  </main>`}function Es(){let e=w(i=>i.boot),t=w(i=>i.storageFull),n=io(),[o,s]=g("");if(M(()=>{n.name==="chat"?Et(n.key):Yn()},[n.name,n.key,e]),M(()=>{let i=u=>{(u.ctrlKey||u.metaKey)&&!u.altKey&&u.key.toLowerCase()==="k"&&(u.preventDefault(),s("switcher"))};return document.addEventListener("keydown",i),()=>document.removeEventListener("keydown",i)},[]),e==="signedout")return c`<${Ns} />`;if(e==="error")return c`<main class="signin"><h1>Pigeon</h1><p class="error-text">${f.bootError}</p></main>`;let a=()=>s(""),r;if(n.name==="chat"){let i=c`<${So} key=${n.key} chatKey=${n.key} info=${n.info} />`,u=n.info&&(n.key.startsWith("g:")?c`<${Lo} id=${n.key.slice(2)} />`:c`<${Io} account=${n.key.slice(2)} />`);r=c`<main class="pane" id="main">${u?c`<div class="with-drawer">${i}${u}</div>`:i}</main>`}else n.name==="contacts"?r=c`<${Do} onAdd=${()=>s("contact")} />`:n.name==="me"?r=c`<${Po} />`:n.name==="settings"?r=c`<${Eo} />`:r=c`<${Ls} />`;return c`<div class=${"app"+(n.name!=="home"?" chat-open":"")} data-boot=${e}>
    <a class="skip" href="#main">Skip to conversation</a>
    <${mo}
      current=${n.key}
      onNewGroup=${()=>s("group")}
      onAddContact=${()=>s("contact")}
      onJoin=${()=>s("join")}
    />
    ${t&&c`<div class="banner" role="alert">The disk is nearly full: free some space to receive messages and files again.</div>`}
    ${r}
    ${o==="switcher"&&c`<${Uo} onClose=${a} />`}
    ${o==="group"&&c`<${No} onClose=${a} />`}
    ${o==="contact"&&c`<${Mo} onClose=${a} />`}
    ${o==="join"&&c`<${Ao} onClose=${a} />`}
    <${As} />
  </div>`}function Us(){let e=w(t=>t.conn);return M(()=>{document.body.dataset.conn=e},[e]),c`<${Es} />`}function Fs(){return new Promise(e=>document.hidden?e():requestAnimationFrame(()=>setTimeout(e)))}async function Os(){Sn(()=>{f.boot="signedout",C()});let e=P("/v1/info");e.catch(()=>{}),await Fs();let t=document.getElementById("app");t.textContent="",t.className="",mt(c`<${Us} />`,t);try{f.me=await e}catch(n){n.status!==401&&(f.boot="error",f.bootError=n.message),C();return}C(),st(),document.addEventListener("visibilitychange",()=>{Kn(document.visibilityState==="visible"),document.hidden||Bt()}),window.addEventListener("online",Bt),Hn(uo)}Kt();Os();
