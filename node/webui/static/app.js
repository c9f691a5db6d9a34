/* Pigeon web client, bundled from js/ (go generate). Includes Preact (MIT) and htm (Apache-2.0): vendor/LICENSE-preact.txt, vendor/LICENSE-htm.txt. */
var T,sn,Zo,se,pt,He,an,je,rn,ft,dt,es,De=Symbol.for("pv"),Be={},Ge=[],ts=/^m(i|n|o|s|text|space)$/,mt=Array.isArray,ht=Ge.slice,pe=Object.assign;function ue(e){e&&e.parentNode&&e.remove()}function cn(e,t,n){var o,s,a,i={},r=arguments.length;for(a in t)a=="key"?o=t[a]:a=="ref"&&typeof e!="function"?s=t[a]:i[a]=t[a];return r>2&&(i.children=r>3?ht.call(arguments,2):n),Se(e,i,o,s,null)}function Se(e,t,n,o,s){var a={type:e,props:t,key:n,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:De,__v:s||++sn,__i:-1,__u:0};return!s&&T.vnode&&T.vnode(a),a}function Me(e){return e.children}function ae(e,t){this.props=e,this.context=t,this.__g=0}function ie(e,t){if(t==null)return e.__&&ie(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!="function"||e.props.__P?null:ie(e)}function ns(e){var t,n=e.__v,o=n.__e,s=[],a=[],i=e.__P;i&&((t=pe({constructor:De},n)).__v=n.__v+1,T.vnode&&T.vnode(t),gt(i,t,n,e.__n,i.namespaceURI,32&n.__u?[o]:null,s,o||ie(n),32&n.__u,a),t.__v=n.__v,t.__.__k[t.__i]=t,mn(s,t,a),n.__=n.__e=null,t.__e!=o&&ln(t))}function ln(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),ln(e)}function nn(e){(8&e.__g||(e.__g|=8,se.push(e),He++))&&pt==T.debounceRendering||((pt=T.debounceRendering)||queueMicrotask)(un)}function un(){try{for(var e,t=1;se.length;)se.length>t&&se.sort(an),e=se.shift(),t=se.length,8&e.__g&&ns(e)}finally{(He=se.length)&&(pt||queueMicrotask)(un)}}function pn(e,t,n,o,s,a,i,r,u,p,l){var m,h,d,y,_,w,k=o.__k||Ge,C=t.length;for(u=os(n,t,k,u,C),m=0;m<C;m++)(d=n.__k[m])!=null&&(h=~d.__i&&k[d.__i]||Be,d.__i=m,w=gt(e,d,h,s,a,i,r,u,p,l),y=d.__e,(h.ref!=d.ref||8&h.__u)&&(h.ref&&_t(h.ref,null,d,h),d.ref&&l.push(d.ref,d.__c||y,d)),_=_||y,4&d.__u?(u=dn(d,u,e,!h.__v),h.__e&&(h.__e=null)):typeof d.type=="function"&&w!==void 0?u=w:y&&(u=y.nextSibling),d.__u&=-21);return n.__e=_,u}function os(e,t,n,o,s){var a,i,r,u,p,l,m,h,d,y=n.length,_=y,w=0,k=0,C=e.__k=Array(s);for(a=0;a<s;a++)(i=t[a])!=null&&typeof i!="boolean"&&typeof i!="function"?(typeof i!="object"||i.constructor===String?i=C[a]=Se(null,i):mt(i)?i=C[a]=Se(Me,{children:i}):i.constructor===De&&i.__b?i=C[a]=Se(i.type,i.props,i.key,i.ref,i.__v):C[a]=i,u=a+w,i.__=e,i.__b=e.__b+1,r=null,~(p=i.__i=ss(i,n,u,_))&&(_--,(r=n[p])&&(r.__u|=2)),r&&r.__v?(i.__u|=16,p==u-1?w--:p==u+1?w++:p!=u&&(p>u?w--:w++,k=1)):(~p||(s>y?w--:s<y&&w++),typeof i.type!="function"&&(i.__u|=4))):C[a]=null;if(k){for(l=[],m=[],a=0;a<s;a++)if((i=C[a])&&16&i.__u){for(w=0,h=l.length;w<h;)l[d=w+h>>1]<i.__i?w=d+1:h=d;l[w]=i.__i,m[a]=w+1}for(w=l.length;a--;)m[a]&&(m[a]==w?w--:C[a].__u|=4)}if(_)for(a=0;a<y;a++)!(r=n[a])||2&r.__u||(r.__e==o&&(o=ie(r)),yt(r,r));return o}function dn(e,t,n,o){var s,a,i,r;if(typeof e.type=="function"){if(e.props.__P)return t;if(s=e.__k)for(a=0;a<s.length;a++)s[a]&&(s[a].__=e,t=dn(s[a],t,n,!1));return t}for(t&&!t.parentNode&&(t=ie(e))&&!t.parentNode&&(t=null),i=e.__e,r=t;r&&r.nodeType==8;)r=r.nextSibling;for(i!=r&&(!o&&n.moveBefore&&i.parentNode?n.moveBefore(i,t):n.insertBefore(i,t||null)),t=i;(t=t&&t.nextSibling)&&t.nodeType==8&&!t.data.startsWith("$s"););return t}function ss(e,t,n,o){var s,a=e.key,i=e.type,r=t[n],u=r&&!(2&r.__u);if(r===null&&a==null||u&&a==r.key&&i==r.type)return n;if(o>(u?1:0)){for(s=n-1;s>=0;s--)if((r=t[s])&&!(2&r.__u)&&a==r.key&&i==r.type)return s;for(s=n+1;s<t.length;s++)if((r=t[s])&&!(2&r.__u)&&a==r.key&&i==r.type)return s}return-1}function on(e,t,n){n==null&&(n=""),t[0]=="-"?e.setProperty(t,n):e[t]=n}function Fe(e,t,n,o,s){var a,i;if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof o=="string"&&(e.style.cssText=o=""),o)for(t in o)n&&t in n||on(e.style,t);if(n)for(t in n)o&&n[t]==o[t]||on(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")typeof n!="function"&&(n=null),typeof o!="function"&&(o=null),(e.__e||(e.__e={}))[t]=n,n&&o||(i=dt[t]||(dt[t]=as(t)),(e.__a||(e.__a={}))[t]=ft,a=t!=(t=t.replace(rn,"$1")),(t=t.slice(2))[0]<"a"&&(t=t.toLowerCase()),n?e.addEventListener(t,i,a):e.removeEventListener(t,i,a));else{if(s=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{return void(e[t]=n??"")}catch{}if(typeof n=="function")return;n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n)}}function as(e){return function(t){var n=this.__e;if(n){if(n=n[e],t[je]==null)t[je]=ft++;else if(t[je]<this.__a[e])return;return n(T.event?T.event(t):t)}}}function gt(e,t,n,o,s,a,i,r,u,p){var l,m,h,d,y,_,w,k,C,N,R,ne,qe,_e,S,tn,oe,le,V=t.type;if(t.constructor!==De)return null;128&n.__u&&(u=32&n.__u,l=n.__c.__z)&&(t.__u|=u,m=a=[],l.nodeType==8?r=We(l,a):a.push(l),r=a[0]||r),(l=T.__b)&&l(t);e:if(typeof V=="function"){h=i.length;try{if(k=t.props,C=(l=V.prototype)&&l.render,N=(l=V.contextType)&&o[l.__c],R=l?N?N.props.value:l.__:o,(d=n.__c)?(t.__c=d,2&d.__g&&(d.__g|=1)):(C?t.__c=d=new V(k,R):(t.__c=d=new ae(k,R),d.constructor=V,d.render=rs),N&&N.sub(d),d.state||(d.state={}),d.__n=o,d.__g|=8,d.__h=[],d.__k=[]),C&&(d.__s||(d.__s=d.state),V.getDerivedStateFromProps&&(d.__s==d.state&&(d.__s=pe({},d.__s)),pe(d.__s,V.getDerivedStateFromProps(k,d.__s)))),y=d.props,_=d.state,d.__v=t,n.__c){if(k!==y&&C&&!V.getDerivedStateFromProps&&d.componentWillReceiveProps&&d.componentWillReceiveProps(k,R),t.__v==n.__v&&!(8&d.__g)||!(4&d.__g)&&d.shouldComponentUpdate&&d.shouldComponentUpdate(k,d.__s,R)===!1){t.__v!=n.__v&&(d.props=k,d.state=d.__s,d.__g&=-9),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(j){j&&(j.__=t)}),Ge.push.apply(d.__h,d.__k),d.__k=[],d.__h.length&&i.push(d),r=ie(n);break e}d.componentWillUpdate&&d.componentWillUpdate(k,d.__s,R),C&&d.componentDidUpdate&&d.__h.push(function(){d.componentDidUpdate(y,_,w)})}else C&&!V.getDerivedStateFromProps&&d.componentWillMount&&d.componentWillMount(),C&&d.componentDidMount&&d.__h.push(d.componentDidMount);d.context=R,d.props=k,d.__P=e,d.__g&=-5,ne=T.__r,qe=C?25:0;do d.__g&=-9,ne&&ne(t),l=d.render(d.props,d.state=d.__s,d.context);while(8&d.__g&&++qe<25);C&&(Ge.push.apply(d.__h,d.__k),d.__k=[]),d.state=d.__s,d.getChildContext&&(o=pe({},o,d.getChildContext())),C&&n.__c&&d.getSnapshotBeforeUpdate&&(w=d.getSnapshotBeforeUpdate(y,_)),_e=l&&l.type===Me&&l.key==null?l.props.children:l,k.__P&&(l=r,s=(e=k.__P).namespaceURI,u=a=null,n.props&&n.props.__P!=e&&(n.__k.some(function(j){j&&yt(j,j)}),n.__k=null),r=n.__k?ie(n,0):null),r=pn(e,mt(_e)?_e:[_e],t,n,o,s,a,i,r,u,p),k.__P&&(t.__e=null,r=l),t.__u&=-161,m&&m.some(ue),d.__h.length&&i.push(d),1&d.__g&&(d.__g&=-4)}catch(j){if(i.length=h,t.__v=null,u||a)if(j&&j.then){if(t.__u|=128|u,a){for(~(oe=a.indexOf(r||void 0))||(oe=a.length);(le=a[oe-1])&&le.nodeType==8;)oe--;for(;oe<a.length;oe++)if(le=a[oe])if(a[oe]=null,S){if(le==tn)break}else{if(le.nodeType!=8)break;le.data.startsWith("$s")&&(tn=We(S=le))}}if(!S){for(;r&&r.nodeType==8&&r.nextSibling;)r=r.nextSibling;S=r}(l=We(S=t.__c.__z||(t.__c.__z=S)))?(t.__e=S,r=l):t.__e=r,r=r&&r.nextSibling}else a&&a.some(ue);else t.__e=n.__e;t.__k||(t.__k=n.__k||[]),j&&j.then||fn(t),T.__e(j,t,n)}}else r=t.__e=is(n.__e,t,n,o,s,a,i,u,p,e);return(l=T.diffed)&&l(t),r}function We(e,t){if(e&&e.nodeType==8&&e.data.startsWith("$s"))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith("$s"))n++;else if(e.data.startsWith("/$s")&&!--n)return e}t&&t.push(e)}}function fn(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(fn))}function mn(e,t,n){for(var o=0;o<n.length;)_t(n[o++],n[o++],n[o++]);T.__c&&T.__c(t,e),e.some(function(s){try{e=s.__h,s.__h=[],e.some(function(a){a.call(s)})}catch(a){T.__e(a,s.__v)}})}function is(e,t,n,o,s,a,i,r,u,p){var l,m,h,d,y,_,w,k,C=n.props||Be,N=t.props,R=t.type;if(R=="svg"?s="http://www.w3.org/2000/svg":R=="math"?s="http://www.w3.org/1998/Math/MathML":s||(s="http://www.w3.org/1999/xhtml"),a){for(l=0;l<a.length;l++)if((y=a[l])&&(R?y.localName==R:y.nodeType==3)){e=y,a[l]=null;break}}if(!e){if(k=p.ownerDocument||document,!R)return k.createTextNode(N);e=k.createElementNS(s,R,N.is?N:p),r&&(T.__m&&T.__m(t,a),r=!1),a=null}if(R){if(p=R=="template"&&e.content||e,a=R=="textarea"&&N.defaultValue!=null?null:a&&ht.call(p.childNodes),!r&&a)for(C={},l=0;l<e.attributes.length;l++)C[(y=e.attributes[l]).name]=y.value;for(l in C)y=C[l],l=="dangerouslySetInnerHTML"?h=y:l=="children"||l in N||l=="value"&&"defaultValue"in N||l=="checked"&&"defaultChecked"in N||Fe(e,l,null,y,s);for(l in N)y=N[l],l=="children"?d=y:l=="dangerouslySetInnerHTML"?m=y:l=="value"?_=y:l=="checked"?w=y:r&&typeof y!="function"||C[l]===y||Fe(e,l,y,C[l],s);m?(r||h&&(m.__html==h.__html||m.__html==e.innerHTML)||(e.innerHTML=m.__html),t.__k=[]):(h&&(e.textContent=""),(R=="foreignObject"||s=="http://www.w3.org/1998/Math/MathML"&&ts.test(R))&&(s="http://www.w3.org/1999/xhtml"),pn(p,mt(d)?d:[d],t,n,o,s,a,i,a?a[0]:n.__k&&ie(n,0),r,u),a&&a.some(ue)),r&&R!="textarea"||(l="value",R=="progress"&&_==null?e.removeAttribute(l):_==null||_===e[l]&&(R!="progress"||_)||Fe(e,l,_,C[l],s),l="checked",w!=null&&w!=e[l]&&Fe(e,l,w,C[l],s))}else C===N||r&&e.data==N||(e.data=N);return e}function _t(e,t,n,o){try{typeof e=="function"?t?t.__x=e(t)||1:o&&(o=o.__c||o.__e)&&(t=o.__x)&&(o.__x=null,typeof t=="function"?t():e(null)):e.current=t}catch(s){T.__e(s,n)}}function yt(e,t,n){var o,s,a,i;if(T.unmount&&T.unmount(e),!(o=e.ref)||o.current&&o.current!=e.__e||_t(o,null,t,e),o=e.__c){if(o.componentWillUnmount)try{o.componentWillUnmount()}catch(r){T.__e(r,t)}o.__P=o.__n=null}if(o=e.__k)for(i=0;i<o.length;i++)o[i]&&yt(o[i],t,typeof e.type!="function"||n&&!e.props.__P);!n&&(o=e.__c)&&(o=o.__z)&&(s=We(o,a=[]))&&(o==e.__e&&a.some(ue),ue(s),ue(o)),n||ue(e.__e),e.__e=e.__c=e.__=null}function rs(e,t,n){return this.constructor(e,n)}function $t(e,t){var n,o,s,a;T.__&&T.__(e,t),t.nodeType==9&&(t=t.documentElement),o=(n=e&&32&e.__u)?null:t.__k,t.__k=Se(Me,{children:[e]}),s=[],a=[],gt(t,t.__k,o||Be,Be,t.namespaceURI,o?null:t.firstChild?ht.call(t.childNodes):null,s,o?o.__e:t.firstChild,n,a),mn(s,t.__k,a),t.__k.props.children=null}T={__e:function(e,t,n,o){for(var s,a,i;t=t.__;)if((s=t.__c)&&!(1&s.__g)){s.__g|=4;try{if((i=(a=s.constructor)&&a.getDerivedStateFromError)&&s.setState(a.getDerivedStateFromError(e)),s.componentDidCatch&&(s.componentDidCatch(e,o||{}),i=1),i&&8&s.__g)return void(s.__g|=2)}catch(r){e=r}}throw He=0,e}},sn=0,Zo=function(e){return e!=null&&e.constructor===De},ae.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=pe({},this.state)),typeof e=="function"&&(e=e(pe({},n),this.props)),e&&(pe(n,e),this.__v&&(t&&this.__k.push(t),nn(this)))},ae.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),nn(this))},ae.prototype.render=Me,se=[],He=0,an=function(e,t){return e.__v.__b-t.__v.__b},je=Symbol(),rn=/(PointerCapture)$|Capture$/i,ft=0,dt={},es=0;var gn=function(e,t,n,o){var s;t[0]=0;for(var a=1;a<t.length;a++){var i=t[a++],r=t[a]?(t[0]|=i?1:2,n[t[a++]]):t[++a];i===3?o[0]=r:i===4?o[1]=Object.assign(o[1]||{},r):i===5?(o[1]=o[1]||{})[t[++a]]=r:i===6?o[1][t[++a]]+=r+"":i?(s=e.apply(r,gn(e,r,n,["",null])),o.push(s),r[0]?t[0]|=2:(t[a-2]=0,t[a]=s)):o.push(r)}return o},hn=new Map;function _n(e){var t=hn.get(this);return t||(t=new Map,hn.set(this,t)),(t=gn(this,t.get(e)||(t.set(e,t=(function(n){for(var o,s,a=1,i="",r="",u=[0],p=function(h){a===1&&(h||(i=i.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?u.push(0,h,i):a===3&&(h||i)?(u.push(3,h,i),a=2):a===2&&i==="..."&&h?u.push(4,h,0):a===2&&i&&!h?u.push(5,0,!0,i):a>=5&&((i||!h&&a===5)&&(u.push(a,0,i,s),a=6),h&&(u.push(a,h,0,s),a=6)),i=""},l=0;l<n.length;l++){l&&(a===1&&p(),p(l));for(var m=0;m<n[l].length;m++)o=n[l][m],a===1?o==="<"?(p(),u=[u],a=3):i+=o:a===4?i==="--"&&o===">"?(a=1,i=""):i=o+i[0]:r?o===r?r="":i+=o:o==='"'||o==="'"?r=o:o===">"?(p(),a=1):a&&(o==="="?(a=5,s=i,i=""):o==="/"&&(a<5||n[l][m+1]===">")?(p(),a===3&&(u=u[0]),a=u,(u=u[0]).push(2,0,a),a=0):o===" "||o==="	"||o===`
`||o==="\r"?(p(),a=2):i+=o),a===3&&i==="!--"&&(a=4,u=u[0])}return p(),u})(e)),t),arguments,[])).length>1?t:t[0]}var ye,A,vt,yn,bt=Object.is,Re=0,Dn=[],wt=[],L=T,$n=L.__b,vn=L.__r,bn=L.diffed,wn=L.__c,kn=L.unmount,xn=L.__;function ze(e,t){L.__h&&L.__h(A,e,Re||t),Re=0;var n=A.__H||(A.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function g(e){return Re=1,Ye(Mn,e)}function Ye(e,t,n){var o=ze(ye++,2);if(o.t=e,!o.__c&&(o.__=[n?n(t):Mn(void 0,t),function(a){var i=(o.__N||o.__)[0],r=o.t(i,a);bt(i,r)||(o.__N=[r,o.__[1]],o.__c.setState({}))}],o.__c=A,!A.__f)){A.__f=!0;var s=A.shouldComponentUpdate;A.shouldComponentUpdate=function(a,i,r){var u=this.__H;if(!u)return!0;var p=!1,l=this.props!=a;if(u.__.some(function(h){h.__N&&(p=!0,bt(h.__[0],h.__N[0])||(l=!0))}),s){var m=s.call(this,a,i,r);return p?m||l:m}return!p||l}}return o.__}function D(e,t){var n=ze(ye++,3);!L.__s&&Ct(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,A.__H.__h.push(n))}function Ie(e,t){var n=ze(ye++,4);!L.__s&&Ct(n.__H,t)&&(n.__P=!1,n.__=e,n.u=t,A.__h.push(n))}function O(e){return Re=5,xt(function(){return{current:e}},[])}function xt(e,t){var n=ze(ye++,7);return Ct(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function Qe(e,t){return Re=8,xt(function(){return e},t)}function cs(){var e;do{for(;e=wt.shift();)try{Te(e)}catch(n){L.__e(n,{__:(e=e.__P)&&e.__v})}for(;e=Dn.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(Te),t.__h.some(kt),t.__h=[]}catch(n){t.__h=[],L.__e(n,e.__v)}}}while(wt.length)}L.__b=function(e){A=null,$n&&$n(e)},L.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),xn&&xn(e,t)},L.__r=function(e){vn&&vn(e),ye=0;var t=(A=e.__c).__H;t&&(vt==A?A.__h=[]:(t.__h.some(Te),t.__h.some(kt),ye=0),t.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})),vt=A},L.diffed=function(e){bn&&bn(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&Sn(Dn.push(t)),t.__H.__.some(function(n){n.u&&(n.__H=n.u)})),vt=A=null},L.__c=function(e,t){t.some(function(n){try{n.__h.some(Te),n.__h=n.__h.filter(function(o){return!o.__||kt(o)})}catch(o){n.__h=[function(){throw o}]}}),wn&&wn(e,t)},L.unmount=function(e){kn&&kn(e);var t,n,o=e.__c;o&&o.__H&&(o.__H.__.some(function(s){try{if(s.__P&&s.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n=n&&n.__c}s.__P=n,Sn(wt.push(s))}else Te(s)}catch(a){t=a}}),o.__H=void 0,t&&L.__e(t,o.__v))};var Cn=typeof requestAnimationFrame=="function";function ls(e){var t,n=function(){clearTimeout(o),Cn&&cancelAnimationFrame(t),setTimeout(e)},o=setTimeout(n,35);Cn&&(t=requestAnimationFrame(n))}function Sn(e){e!=1&&yn==L.requestAnimationFrame||((yn=L.requestAnimationFrame)||ls)(cs)}function Te(e){var t=A,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),A=t}function kt(e){var t=A;e.__c=e.__(),A=t}function Ct(e,t){return!e||e.length!=t.length||t.some(function(n,o){return!bt(n,e[o])})}function Mn(e,t){return typeof t=="function"?t(e):t}var c=_n.bind(cn);function Tn(e){class t extends ae{shouldComponentUpdate(o){let s=this.props;for(let a in s)if(s[a]!==o[a])return!0;for(let a in o)if(!(a in s))return!0;return!1}render(o){return e(o)}}return t.displayName=e.name,t}var K=class extends Error{constructor(t,n,o){super(o||"request failed ("+t+")"),this.status=t,this.code=n||""}},St=()=>{};function Rn(e){St=e}async function In(e){let t=null;try{t=await e.json()}catch{t=null}return e.status===401&&St(),new K(e.status,t&&t.code,t&&t.error)}async function re(e,t,n){let o={method:e,headers:{},credentials:"same-origin"};n!==void 0&&(o.headers["Content-Type"]="application/json",o.body=JSON.stringify(n));let s;try{s=await fetch(t,o)}catch{throw new K(0,"network","the daemon does not answer: is `pigeon daemon` still running?")}if(!s.ok)throw await In(s);return s.status===204||s.status===202?null:(s.headers.get("Content-Type")||"").includes("json")?s.json():s.text()}var M=e=>re("GET",e),I=(e,t)=>re("POST",e,t),F=(e,t)=>re("PUT",e,t),Dt=(e,t)=>re("PATCH",e,t),Y=e=>re("DELETE",e),J=encodeURIComponent;function Mt(e,t,n){let o=e.slice(2),s=e.startsWith("g:")?"/v1/groups/"+o:"/v1/conversations/"+o,a="?limit="+n;return t&&(a+="&before="+t),s+"/messages"+a}function Pn({key:e,file:t,caption:n,onProgress:o}){let s=new URLSearchParams;s.set(e.startsWith("g:")?"group":"to",e.slice(2)),t.name&&s.set("name",t.name),t.type&&s.set("mime",t.type),n&&s.set("caption",n);let a=new XMLHttpRequest;return{promise:new Promise((r,u)=>{a.open("POST","/v1/media?"+s.toString()),a.responseType="json",a.upload.onprogress=p=>o&&o(p.loaded,p.lengthComputable?p.total:t.size),a.onload=()=>{let p=a.response;if(a.status===201&&p&&p.id){r(p.id);return}a.status===401&&St(),u(new K(a.status,p&&p.code,p&&p.error))},a.onerror=()=>u(new K(0,"network","the upload was cut off: is the daemon still running?")),a.onabort=()=>u(new K(0,"aborted","upload cancelled")),a.send(t)}),abort:()=>a.abort()}}var $e=e=>"/v1/media/"+e+"/content",Tt=e=>"/v1/media/"+e+"/thumbnail",de=e=>"/v1/qr.svg?text="+J(e);async function Ln(e){let t=await fetch("/v1/qr/decode",{method:"POST",credentials:"same-origin",headers:{"Content-Type":e.type||"application/octet-stream"},body:e});if(!t.ok)throw await In(t);return(await t.json()).text}function Rt(e,t){let n=document.createElement("a");n.href=$e(e),n.download=t||"",n.rel="noopener",document.body.append(n),n.click(),n.remove()}var fe=e=>"p:"+e,ve=e=>"g:"+e,be=e=>e.group?ve(e.group):fe(e.peer),me=e=>(e.startsWith("g:")?"/group/":"/chat/")+e.slice(2),W=e=>e?e.slice(0,12)+"…":"",It=new Intl.DateTimeFormat(void 0,{hour:"2-digit",minute:"2-digit"}),Nn=new Intl.DateTimeFormat(void 0,{weekday:"long"}),us=new Intl.DateTimeFormat(void 0,{year:"numeric",month:"short",day:"numeric"}),ps=new Intl.DateTimeFormat(void 0,{month:"short",day:"numeric"}),An=e=>e?Date.parse(e):0,En=e=>e?It.format(new Date(e)):"";function Ve(e){return new Date(e.getFullYear(),e.getMonth(),e.getDate()).getTime()}function Pt(e){let t=new Date(e);return t.getFullYear()*1e4+t.getMonth()*100+t.getDate()}function Pe(e,t=Date.now()){let n=new Date(e),o=Math.round((Ve(new Date(t))-Ve(n))/864e5);return o===0?"Today":o===1?"Yesterday":o>1&&o<7?Nn.format(n):us.format(n)}function Un(e,t=Date.now()){if(!e)return"";let n=new Date(e),o=Math.round((Ve(new Date(t))-Ve(n))/864e5);return o===0?It.format(n):o===1?"Yesterday":o>1&&o<7?Nn.format(n):ps.format(n)}function Ke(e,t=Date.now()){if(!e)return"";let n=Pe(e,t),o=It.format(new Date(e));return n==="Today"?"last seen today at "+o:n==="Yesterday"?"last seen yesterday at "+o:"last seen "+n+" at "+o}function X(e){if(e==null)return"";if(e<1024)return e+" B";let t=["KB","MB","GB","TB"],n=e/1024,o=0;for(;n>=1024&&o<t.length-1;)n/=1024,o++;return(n<10?n.toFixed(1):Math.round(n))+" "+t[o]}var Lt=(e,t)=>t>0?Math.min(100,Math.floor(e*100/t)):0,On=e=>(e||"?").trim().slice(0,1).toUpperCase()||"?";function H(...e){return e.filter(Boolean).join(" ")}var ds=/pgi[a-z2-7]{160}/,fs=/pg[a-z2-7]{58}(?![a-z2-7])/;function Je(e){let t=(e||"").trim(),n=t.toLowerCase(),o=n.match(ds);if(o)return{kind:"invite",link:o[0]};let s=n.match(fs);if(!s)return null;let a="",i=t.indexOf("?");if(i>=0)try{a=new URLSearchParams(t.slice(i+1)).get("name")||""}catch{a=""}return{kind:"account",account:s[0],name:a}}function qn(e,t){return"pigeon:"+e+(t?"?name="+encodeURIComponent(t):"")}var Fn=e=>(e||"").replace(/(\d{5})(?=\d)/g,"$1 ");var Ze=50,f={boot:"loading",bootError:"",me:null,conn:"connecting",convs:[],contacts:new Map,groups:new Map,presence:new Map,typing:new Map,progress:new Map,uploads:[],chats:new Map,open:"",identity:new Map,storageFull:!1,autoDownload:null,devices:null,linkOffer:null,linkRequest:null,historySync:null,setup:null,setupDown:"",toasts:[],visible:document.visibilityState==="visible"},Le=new Set,Nt=!1;function v(){Nt||(Nt=!0,queueMicrotask(()=>{Nt=!1;for(let e of Le)e()}))}function zn(e){return Le.add(e),()=>Le.delete(e)}function ms(e,t){if(Object.is(e,t))return!0;if(!e||!t||typeof e!="object"||typeof t!="object")return!1;let n=Object.keys(e);if(n.length!==Object.keys(t).length)return!1;for(let o of n)if(!Object.is(e[o],t[o]))return!1;return!0}function b(e){let[,t]=Ye(s=>s+1,0),n=O(null),o=e(f);return n.current={sel:e,val:o},Ie(()=>{let s=()=>{let a=n.current;ms(a.sel(f),a.val)||t()};return Le.add(s),s(),()=>Le.delete(s)},[]),o}var hs=0;function P(e,t="info"){let n=++hs;f.toasts=[...f.toasts,{id:n,text:e,kind:t}],v(),setTimeout(()=>Ot(n),t==="error"?8e3:4e3)}function Ot(e){f.toasts=f.toasts.filter(t=>t.id!==e),v()}function x(e){e instanceof K&&e.status===401||P(e&&e.message?e.message:String(e),"error")}function B(e){if(!e)return"";if(f.me&&e===f.me.account)return"You";let t=f.contacts.get(e);return t&&t.name||W(e)}function G(e){if(e.startsWith("g:")){let o=f.groups.get(e.slice(2));return o&&o.name||"Group "+e.slice(2,10)}let t=f.contacts.get(e.slice(2));if(t&&t.name)return t.name;let n=f.convs.find(o=>o.key===e);return n&&n.name||W(e.slice(2))}async function ee(){let e=await M("/v1/contacts");f.contacts=new Map(e.map(t=>[t.account,t]));for(let t of e)if(t.identity_changed_at&&!f.identity.has(t.account)&&(f.identity=new Map(f.identity).set(t.account,{account:t.account,at:t.identity_changed_at})),!t.identity_changed_at&&f.identity.has(t.account)){let n=new Map(f.identity);n.delete(t.account),f.identity=n}v()}async function et(){let e=await M("/v1/groups");f.groups=new Map(e.map(t=>[t.id,t])),v()}async function Q(e){try{let t=await M("/v1/groups/"+e);f.groups=new Map(f.groups).set(e,t)}catch(t){if(t.status===404){let n=new Map(f.groups);n.delete(e),f.groups=n}else throw t}v()}function gs(e){return{key:e.group?ve(e.group):fe(e.peer),peer:e.peer||"",group:e.group||"",name:e.name||"",last:e.last,unread:e.unread}}var Yn=0,Qn=new Map;async function ce(){let e=Yn,n=(await M("/v1/conversations")).map(gs);for(let s of n)(Qn.get(s.key)||0)>e&&(s.unread=0);let o=new Set(n.map(s=>s.key));for(let s of f.groups.values()){let a=ve(s.id);!o.has(a)&&s.status==="active"&&n.push({key:a,peer:"",group:s.id,name:s.name,last:null,unread:0})}f.convs=n,v();for(let s of n.slice(0,30))s.peer&&!f.presence.has(s.peer)&&Vn(s.peer)}var jn=0;function we(){clearTimeout(jn),jn=setTimeout(()=>ce().catch(()=>{}),300)}var At=new Set;async function Vn(e){if(!At.has(e)){At.add(e);try{let t=await M("/v1/presence/"+e);f.presence=new Map(f.presence).set(e,t),v()}catch{}finally{At.delete(e)}}}async function qt(){f.autoDownload=await M("/v1/media-settings/auto-download"),v()}async function tt(){await Promise.all([ee(),et(),qt().catch(()=>{})]),await ce();let e=f.open;f.chats=new Map,f.boot="ready",v(),e&&await Ft(e)}function _s(e){return{key:e,msgs:[],ids:new Set,hasOlder:!0,loading:!1,ready:!1}}function Z(e){f.chats.set(e.key,e),v()}async function Ft(e){f.open=e,v();let t=f.chats.get(e);if(!t||!t.ready){t=_s(e),t.loading=!0,Z(t);try{let n=await M(Mt(e,"",Ze)),o=f.chats.get(e),s=n.slice(),a=new Set(n.map(i=>i.id));for(let i of o.msgs)a.has(i.id)||(s.push(i),a.add(i.id));Z({...o,msgs:s,ids:a,hasOlder:n.length===Ze,loading:!1,ready:!0})}catch(n){Z({...f.chats.get(e),loading:!1}),x(n)}}e.startsWith("p:")&&Vn(e.slice(2)),Ae(e)}function Kn(){f.open="",v()}async function Jn(e){let t=f.chats.get(e);if(!t||!t.ready||t.loading||!t.hasOlder)return 0;Z({...t,loading:!0});try{let n=t.msgs.length?t.msgs[0].id:"",o=await M(Mt(e,n,Ze)),s=f.chats.get(e),a=o.filter(i=>!s.ids.has(i.id));for(let i of a)s.ids.add(i.id);return Z({...s,msgs:a.concat(s.msgs),hasOlder:o.length===Ze,loading:!1}),a.length}catch(n){return Z({...f.chats.get(e),loading:!1}),x(n),0}}var Wn={pending:0,failed:0,sent:1,received:1,delivered:2,read:3};function Ne(e,{incoming:t=!1}={}){let n=be(e),o=f.chats.get(n);if(o&&!o.ids.has(e.id))o.ids.add(e.id),Z({...o,msgs:o.msgs.concat([e])});else if(o){let u=o.msgs.findLast(p=>p.id===e.id);u&&(Wn[e.state]??0)>(Wn[u.state]??0)&&ke(e.id,p=>({...p,state:e.state,pending:void 0}))}let s=f.convs.findIndex(u=>u.key===n),a=s>=0?f.convs[s]:null;if(a&&a.last&&a.last.id===e.id)return;let i=(a?a.unread:0)+(t&&!(f.open===n&&f.visible)?1:0),r={key:n,peer:e.peer||"",group:e.group||"",name:a&&a.name||e.peer_name||e.group_name||"",last:e,unread:i};f.convs=[r,...f.convs.filter(u=>u.key!==n)],v(),!a&&e.group&&!f.groups.has(e.group)&&Q(e.group).catch(()=>{})}function ke(e,t){let n=!1;for(let s of f.chats.values()){if(!s.ids.has(e))continue;let a=s.msgs.findLastIndex(r=>r.id===e);if(a<0)continue;let i=s.msgs.slice();i[a]=t(i[a]),Z({...s,msgs:i}),n=!0}let o=f.convs.findIndex(s=>s.last&&s.last.id===e);if(o>=0){let s=f.convs.slice();s[o]={...s[o],last:t(s[o].last)},f.convs=s,n=!0}return n&&v(),n}var Et=new Set;async function Xn(e){for(let t of f.chats.values())if(t.ids.has(e))return;if(!Et.has(e)){Et.add(e);try{Ne(await M("/v1/messages/"+e))}catch{}finally{Et.delete(e)}}}var Ut=new Map,Hn=new Set;function Ae(e){if(!e||e!==f.open||!f.visible)return;let t=f.convs.find(i=>i.key===e),n=f.chats.get(e),o=n?n.msgs.filter(i=>i.direction==="in"&&i.state==="received").map(i=>i.id):[];if((!t||!t.unread)&&!o.length)return;if(Ut.has(e)){Hn.add(e);return}let s=new Set(o),a=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/read":"/v1/conversations/"+e.slice(2)+"/read";Ut.set(e,!0),I(a).then(()=>{Qn.set(e,++Yn),f.convs=f.convs.map(r=>r.key===e?{...r,unread:0}:r);let i=f.chats.get(e);i&&Z({...i,msgs:i.msgs.map(r=>s.has(r.id)&&r.state==="received"?{...r,state:"read"}:r)}),v()}).catch(x).finally(()=>{Ut.delete(e),Hn.delete(e)&&Ae(e)})}function Zn(e){f.visible=e,v(),e&&Ae(f.open)}async function eo(e,t){let n=e.slice(2),o=e.startsWith("g:")?await I("/v1/groups/"+n+"/messages",{text:t}):await I("/v1/messages",{to:n,text:t}),s=await M("/v1/messages/"+o.id);return Ne(s),s}var ys=0;async function to(e,t,n){let o=++ys,s=t.type.startsWith("image/")?URL.createObjectURL(t):"",a=Pn({key:e,file:t,caption:n,onProgress:i=>{f.uploads=f.uploads.map(r=>r.uid===o?{...r,loaded:i}:r),v()}});f.uploads=[...f.uploads,{uid:o,key:e,name:t.name,size:t.size,loaded:0,error:"",abort:a.abort,preview:s}],v();try{let i=await a.promise,r=await M("/v1/messages/"+i);Ne(r),f.uploads=f.uploads.filter(u=>u.uid!==o)}catch(i){i.code==="aborted"?f.uploads=f.uploads.filter(r=>r.uid!==o):f.uploads=f.uploads.map(r=>r.uid===o?{...r,error:i.message}:r),i.code!=="aborted"&&x(i)}finally{s&&setTimeout(()=>URL.revokeObjectURL(s),6e4),v()}}function no(e){f.uploads=f.uploads.filter(t=>t.uid!==e),v()}var Xe=0,Bn=0;function nt(e,t){let n=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/typing":"/v1/conversations/"+e.slice(2)+"/typing";clearTimeout(Bn);let o=Date.now();if(t){if(Bn=setTimeout(()=>nt(e,!1),5e3),o-Xe<3e3)return;Xe=o}else{if(!Xe)return;Xe=0}I(n,{active:t}).catch(()=>{})}async function jt(e){try{await I("/v1/media/"+e+"/fetch"),ke(e,t=>t.media?{...t,media:{...t.media,state:"fetching",error:""}}:t)}catch(t){x(t)}}function oo(e){f.progress=new Map(f.progress).set(e.id,{phase:e.phase,done:e.done||0,total:e.total||0,direction:e.direction}),v()}function so(e){if(ke(e.id,t=>t.media?{...t,media:{...t.media,state:e.state,error:e.error||"",retry_until:e.retry_until||""}}:t),e.state!=="fetching"&&f.progress.has(e.id)){let t=new Map(f.progress);t.delete(e.id),f.progress=t,v()}}var Gn=0;function ao(){let e=Date.now(),t=1/0,n=!1,o=new Map;for(let[s,a]of f.typing){let i=new Map;for(let[r,u]of a)u>e?(i.set(r,u),t=Math.min(t,u)):n=!0;i.size&&o.set(s,i)}n&&(f.typing=o,v()),clearTimeout(Gn),t!==1/0&&(Gn=setTimeout(ao,t-e+50))}function Wt(e,t,n,o){let s=new Map(f.typing),a=new Map(s.get(e)||[]);n?a.set(t,An(o)||Date.now()+6e3):a.delete(t),a.size?s.set(e,a):s.delete(e),f.typing=s,v(),ao()}function io(e){let t=f.presence.get(e.account)||{};f.presence=new Map(f.presence).set(e.account,{...t,account:e.account,state:e.state,last_seen:e.last_seen||t.last_seen}),v()}async function Ht(e,t){await F("/v1/contacts/"+J(e),t?{name:t}:{}),await ee(),we()}async function ro(e){await I("/v1/contacts/"+J(e)+"/verify");let t=new Map(f.identity);t.delete(e),f.identity=t,await ee()}async function co(e,t,n){let o=await I("/v1/groups",{name:e,description:t,members:n});return f.groups=new Map(f.groups).set(o.id,o),await ce(),o}async function ot(e){let t=await I("/v1/groups/join",{link:e});return await et(),await ce(),t}var st=new Set;function q(e,{replace:t=!1}={}){if(e!==location.pathname){t?history.replaceState(null,"",e):history.pushState(null,"",e);for(let n of st)n()}}window.addEventListener("popstate",()=>{for(let e of st)e()});function lo(e=location.pathname){let t=e.split("/").filter(Boolean),[n,o,s]=t;return(n==="chat"||n==="group")&&o?{name:"chat",key:(n==="group"?"g:":"p:")+o,info:s==="info"}:n==="contacts"||n==="me"||n==="settings"?{name:n}:{name:"home"}}function uo(){let[e,t]=g(()=>lo());return D(()=>{let n=()=>t(lo());return st.add(n),()=>st.delete(n)},[]),e}function E(e){if(e.defaultPrevented||e.button!==0||e.metaKey||e.ctrlKey||e.shiftKey||e.altKey)return;let t=e.currentTarget;e.preventDefault(),q(t.getAttribute("href"))}var Bt=()=>"Notification"in window,at=()=>Bt()?Notification.permission:"unsupported";async function it(){return Bt()?Notification.requestPermission():"unsupported"}function fo(e){if(!document.hidden||!Bt()||Notification.permission!=="granted")return;let t=be(e),n=G(t),o=e.group?B(e.sender)+" in "+n:n,s=e.media?"📎 "+(e.text||e.media.name||"a file"):e.text;try{let a=new Notification(o,{body:s.slice(0,200),tag:t,icon:document.querySelector("link[rel=icon]").href});a.onclick=()=>{window.focus(),q(me(t)),a.close()}}catch{}}var po="";function mo(){let e=0;for(let n of f.convs)e+=n.unread||0;let t=e>0?"("+e+") Pigeon":"Pigeon";t!==po&&(po=t,document.title=t)}var $=({name:e,label:t,class:n})=>t?c`<span class=${H("icon","i-"+e,n)} role="img" aria-label=${t}></span>`:c`<span class=${H("icon","i-"+e,n)} aria-hidden="true"></span>`;function z({name:e,online:t,small:n,group:o}){return c`<span class=${H("avatar",n&&"small")} aria-hidden="true">
    ${o?c`<${$} name="group" />`:On(e)}
    ${t&&c`<span class="dot"></span>`}
  </span>`}var $s=0;function U({title:e,onClose:t,children:n,actions:o,class:s,label:a}){let i=O(null),r=O("dlg"+ ++$s).current;return Ie(()=>{let u=i.current,p=document.activeElement;return u.open||u.showModal(),()=>{u.open&&u.close(),p&&p.focus&&document.contains(p)&&p.focus()}},[]),c`<dialog
    ref=${i}
    class=${s}
    aria-labelledby=${a?void 0:r}
    aria-label=${a}
    onCancel=${u=>{u.preventDefault(),t()}}
  >
    <header class="bar">
      <h2 id=${r}>${e}</h2>
      <button type="button" class="icon-btn" aria-label="Close" onClick=${t}><${$} name="close" /></button>
    </header>
    <div class="dialog-body">${n}</div>
    ${o&&c`<div class="dialog-actions">${o}</div>`}
  </dialog>`}function he(){let e=O(null);return D(()=>{e.current&&e.current.focus()},[]),e}async function Ee(e){try{return await navigator.clipboard.writeText(e),!0}catch{return!1}}async function xe(){f.devices=await M("/v1/devices"),v()}var rt=e=>(e||0).toLocaleString("en-US");function vs(e){let t=f.devices&&f.devices.devices.find(n=>n.id===e);return t&&t.name||"device "+e}function ho(e){f.linkRequest=e,v()}function go(e){f.linkOffer=null,f.linkRequest&&f.linkRequest.peer_id===e.peer_id&&(f.linkRequest=null),v(),P("Linked "+(e.name||"a new device")+". It is getting your history now."),xe().catch(()=>{})}function _o(){xe().catch(()=>{})}function yo(e){f.historySync=e,v()}function bs(e){return e.this?"":e.online?"online":e.last_seen?Ke(e.last_seen):"not seen since it was linked"}function ws(e,t){let n=Math.max(0,Math.round((Date.parse(e)-t)/1e3));return Math.floor(n/60)+":"+String(n%60).padStart(2,"0")}function ks({offer:e,onAgain:t}){let[n,o]=g(Date.now());return D(()=>{let s=setInterval(()=>o(Date.now()),1e3);return()=>clearInterval(s)},[]),Date.parse(e.expires)<=n?c`<div class="link-offer expired">
      <p>The link code expired.</p>
      <button type="button" class="btn" onClick=${t}>Make a new code</button>
    </div>`:c`<div class="link-offer">
    <p>On the new device run <code>pigeon init --link CODE</code> with this code, or scan it. It works once; keep it to yourself.</p>
    <img class="qr" src=${de(e.qr_text)} alt="QR code of the link code" width="220" height="220" />
    <textarea class="mono link-code" readonly rows="4" aria-label="Link code" value=${e.code} onFocus=${s=>s.target.select()}></textarea>
    <p class="muted" data-expires=${e.expires}>Expires in ${ws(e.expires,n)}</p>
    <button type="button" class="btn withdraw-link" onClick=${()=>xs(e)}>Cancel</button>
  </div>`}async function xs(e){try{await re("DELETE","/v1/devices/link",{code:e.code})}catch(t){x(t)}f.linkOffer=null,v()}function Cs({d:e,holdsKey:t}){let[n,o]=g(!1),[s,a]=g(e.name),i=async p=>{p.preventDefault();try{await F("/v1/devices/"+e.id,{name:s.trim()}),o(!1),await xe()}catch(l){x(l)}},r=()=>{a(e.name),o(!0)},u=async()=>{if(confirm("Revoke "+(e.name||"device "+e.id)+"? It stops receiving your messages, and what it sends is no longer accepted. Link it again to use it."))try{await Y("/v1/devices/"+e.id),P("Revoked "+(e.name||"device "+e.id)+"."),await xe()}catch(p){x(p)}};return n?c`<li data-device=${e.id}>
      <form class="row grow" onSubmit=${i}>
        <input type="text" class="grow" aria-label="Device name" value=${s} maxlength="64" onInput=${p=>a(p.target.value)} />
        <button type="submit" class="btn" disabled=${!s.trim()}>Save</button>
        <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
      </form>
    </li>`:c`<li data-device=${e.id}>
    <span class="grow">
      <span class="device-name">${e.name||"Device "+e.id}</span>
      ${e.this&&c` <span class="role">this device</span>`}
      <div class="relay-stats">${[e.platform,bs(e),"added "+Pe(e.added_at).toLowerCase()].filter(Boolean).join(" · ")}</div>
    </span>
    <button type="button" class="btn" onClick=${r} aria-label=${"Rename "+(e.name||"device "+e.id)}>Rename</button>
    ${t&&!e.this&&c`<button type="button" class="btn danger" onClick=${u} aria-label=${"Revoke "+(e.name||"device "+e.id)}>Revoke</button>`}
  </li>`}function Ss(){let e=b(n=>n.historySync);if(b(n=>n.devices),!e)return null;let t=vs(e.device);return e.error?c`<p class="history-sync error-text" role="status">Syncing history from ${t} stopped at ${rt(e.done)} (${e.error}); it goes on when the devices meet again.</p>`:(e.done||0)>=(e.total||0)?c`<p class="history-sync muted" role="status">History synced from ${t}: ${rt(e.total)} changes.</p>`:c`<p class="history-sync" role="status">Syncing history from ${t}: ${rt(e.done)} of ${rt(e.total)}</p>`}function $o(){let e=b(o=>o.devices),t=b(o=>o.linkOffer);D(()=>{xe().catch(x);let o=setInterval(()=>xe().catch(()=>{}),3e4);return()=>clearInterval(o)},[]);let n=async()=>{try{f.linkOffer=await I("/v1/devices/link"),v()}catch(o){x(o)}};return c`<div class="card devices">
    <h3>Devices</h3>
    <p class="muted">Your account on other devices: each gets your history and everything you send, receive and read.</p>
    <ul class="list">
      ${(e?e.devices:[]).map(o=>c`<${Cs} key=${o.id+":"+o.name} d=${o} holdsKey=${e.holds_account_key} />`)}
    </ul>
    <${Ss} />
    ${e&&(e.holds_account_key?t?c`<${ks} offer=${t} onAgain=${n} />`:c`<button type="button" class="btn link-device" onClick=${n}>Link a device</button>`:c`<p class="muted">This device does not hold the account key: link and revoke devices on the one that does.</p>`)}
  </div>`}function vo(){let e=b(n=>n.linkRequest);if(!e)return null;let t=async n=>{f.linkRequest=null,v();try{await I("/v1/devices/link-requests/"+e.id,{accept:n}),n||P("The device was not linked.")}catch(o){x(o)}};return c`<${U}
    title="Link a new device?"
    class="link-request"
    onClose=${()=>t(!1)}
    actions=${c`<button type="button" class="btn" onClick=${()=>t(!1)}>Cancel</button>
      <button type="button" class="btn primary confirm-link" onClick=${()=>t(!0)}>They match, link it</button>`}
  >
    <p><strong class="device-name">${e.name}</strong>${e.platform?" ("+e.platform+")":""} asks to join your account.</p>
    <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
    <p>Check that the new device shows the same six digits. If it does not, cancel: someone else has your link code.</p>
  <//>`}var te=null,zt="",Ue=0,Gt=0,Yt=!1,Oe=250,bo=0,wo=Promise.resolve();function ct(){if(clearTimeout(bo),te)return;Yt=!!zt;let e=Yt?"?epoch="+encodeURIComponent(zt)+"&after="+Ue:"",t=location.protocol==="https:"?"wss:":"ws:",n=new WebSocket(t+"//"+location.host+"/v1/events"+e);te=n,n.onmessage=o=>{let s;try{s=JSON.parse(o.data)}catch{return}wo=wo.then(()=>Ds(s)).catch(a=>console.error("pigeon: event",s.type,a))},n.onclose=()=>{te===n&&(te=null,f.conn="down",v(),bo=setTimeout(ct,Oe),Oe=Math.min(Oe*2,5e3))}}function Qt(){if(!(te&&te.readyState===WebSocket.OPEN)){if(te){let e=te;te=null,e.onclose=null,e.close()}Oe=250,ct()}}async function Ds(e){if(e.type==="hello"){zt=e.epoch||"",Gt=e.seq||0,f.conn="live",Oe=250,v(),Yt||(Ue=Gt,await tt());return}if(e.type==="reset"){Ue=Gt,await tt();return}if(typeof e.seq=="number"){if(e.seq<=Ue)return;Ue=e.seq}Ms(e)}function Ms(e){switch(e.type){case"message_received":{let t=e.message;if(!t)return;let n=t.direction==="in";Ne(t,{incoming:n}),n&&(fo(t),Ae(be(t)),we());return}case"message_state_changed":{ke(e.id,n=>({...n,state:e.state,pending:e.state==="pending"?n.pending:void 0}))||Xn(e.id);return}case"message_pending":{let t={code:e.code,reason:e.reason,attempts:e.attempts,next_attempt:e.next_attempt};for(let n of e.ids||[])ke(n,o=>o.state==="pending"?{...o,pending:t}:o);return}case"typing":Wt(fe(e.from),e.from,e.active,e.until);return;case"group_typing":Wt(ve(e.group),e.from,e.active,e.until);return;case"presence":io(e);return;case"group_changed":Q(e.group).then(()=>e.change==="created"||e.change==="member_added"||e.change==="member_joined"?ce():null).catch(()=>{});return;case"group_receipt":f.receiptTick=(f.receiptTick||0)+1,v();return;case"media_progress":oo(e);return;case"media_state":so(e);return;case"contact_changed":ee().then(we).catch(()=>{});return;case"identity_changed":f.identity=new Map(f.identity).set(e.account,e),v(),ee().catch(()=>{});return;case"storage":f.storageFull=e.state==="full",v(),f.storageFull&&P("The disk is nearly full: Pigeon cannot store new messages or files until you free some space.","error");return;case"link_request":ho(e);return;case"device_linked":go(e);return;case"device_revoked":_o(e);return;case"history_sync":yo(e);return;case"dropped":tt().catch(()=>{}),et().catch(()=>{});return}}function Ts(e){let t=e.last;if(!t)return e.group?"No messages yet":"";let n="";return t.direction==="out"?n="You: ":t.group&&(n=(t.sender_name||B(t.sender))+": "),t.media?n+"📎 "+(t.text?t.text:t.media.name||"file"):n+t.text}function Rs({c:e,current:t}){let n=e.name||G(e.key),o=b(r=>e.peer?r.presence.get(e.peer):null),s=b(r=>r.typing.has(e.key)),a=o&&o.state==="online",i=n+(e.unread?", "+e.unread+" unread":"")+(a?", online":"");return c`<li>
    <a
      href=${me(e.key)}
      class=${H("chat-item",e.unread>0&&"unread")}
      aria-current=${t?"page":void 0}
      aria-label=${i}
      onClick=${E}
      data-key=${e.key}
    >
      <${z} name=${n} group=${!!e.group} online=${a} />
      <span class="grow">
        <span class="top">
          <span class="name">${n}</span>
          <span class="time">${e.last?Un(e.last.sent_at):""}</span>
        </span>
        <span class="bottom">
          <span class="preview">${s?c`<em>typing…</em>`:Ts(e)}</span>
          ${e.unread>0&&c`<span class="badge" aria-hidden="true">${e.unread}</span>`}
        </span>
      </span>
    </a>
  </li>`}function Is(){let[e,t]=g(at()),[n,o]=g(localStorage.getItem("pigeon.notify-banner")==="no");return e!=="default"||n?null:c`<div class="banner">
    <span class="grow">Get notified of new messages while this tab is in the background.</span>
    <button type="button" class="btn" onClick=${async()=>t(await it())}>Turn on</button>
    <button
      type="button"
      class="icon-btn"
      aria-label="Not now"
      onClick=${()=>{localStorage.setItem("pigeon.notify-banner","no"),o(!0)}}
    ><${$} name="close" /></button>
  </div>`}function ko({current:e,onNewGroup:t,onAddContact:n,onJoin:o}){let s=b(m=>m.convs),a=b(m=>m.conn),i=b(m=>m.me),[r,u]=g(""),p=r.trim().toLowerCase(),l=p?s.filter(m=>(m.name||G(m.key)).toLowerCase().includes(p)||(m.peer||m.group).startsWith(p)):s;return c`<nav class="sidebar" aria-label="Chats">
    <header class="bar">
      <a href="/me" class="icon-btn" onClick=${E} aria-label="My account and QR code"><${z} small name=${i?"Me":"?"} /></a>
      <h1 class="brand">Pigeon</h1>
      <button type="button" class="icon-btn" aria-label="New group" onClick=${t}><${$} name="group" /></button>
      <button type="button" class="icon-btn" aria-label="Add contact" onClick=${n}><${$} name="person-add" /></button>
      <button type="button" class="icon-btn" aria-label="Join a group by link" onClick=${o}><${$} name="link" /></button>
      <a href="/contacts" class="icon-btn" onClick=${E} aria-label="Contacts"><${$} name="people" /></a>
      <a href="/settings" class="icon-btn" onClick=${E} aria-label="Settings"><${$} name="gear" /></a>
    </header>
    ${a==="down"&&c`<div class="conn" role="status">Connection to the daemon lost; reconnecting…</div>`}
    <${Is} />
    <div class="filter" role="search">
      <label>
        <${$} name="search" />
        <span class="sr-only">Filter chats</span>
        <input
          type="search"
          placeholder="Filter chats (Ctrl+K: go to any chat)"
          value=${r}
          onInput=${m=>u(m.target.value)}
          onKeyDown=${m=>{m.key==="Enter"&&p&&l.length&&(m.preventDefault(),q(me(l[0].key)))}}
          id="chat-filter"
        />
      </label>
    </div>
    <ul class="chats" aria-label="Chat list">
      ${l.map(m=>c`<${Rs} key=${m.key} c=${m} current=${m.key===e} />`)}
      ${!l.length&&c`<li class="hint">${p?"No chat matches “"+r+"”.":c`No chats yet. <a href="/contacts" onClick=${E}>Start one</a> with a contact, or add one by their account ID.`}</li>`}
    </ul>
  </nav>`}var Co={pending:"pending",sent:"sent",delivered:"delivered",read:"read",failed:"not sent"},Ps={pending:"clock",sent:"check",delivered:"check2",read:"check2",failed:"alert"};function Vt({state:e}){let t=Ps[e];return t?c`<span class=${H("icon","i-"+t,"tick","tick-"+e)} role="img" aria-label=${Co[e]} data-state=${e}></span>`:null}function So(e,t){if(!e||!t)return{width:240,height:180};let n=Math.min(1,300/e,320/t);return{width:Math.max(40,Math.round(e*n)),height:Math.max(40,Math.round(t*n))}}function xo(e,t){switch(e.state){case"fetching":return t&&t.total?"downloading "+Lt(t.done,t.total)+"%":"downloading…";case"retrying":return"waiting for the sender to come online…";case"failed":return"download failed"+(e.error?": "+e.error:"");case"removed":return"removed from this device";case"remote":return"not downloaded"}return""}function Do({prog:e,label:t}){return!e||!e.total?c`<progress aria-label=${t}></progress>`:c`<progress aria-label=${t} max=${e.total} value=${e.done}></progress>`}function Mo({media:e,prog:t}){let n=e.state==="local",o=e.state==="fetching"||e.state==="retrying",s=t&&t.direction==="download"?t:null;return c`<div class="file-card" data-media-state=${e.state}>
    <${$} name="doc" class="big" />
    <div class="grow">
      <div class="file-name" title=${e.name}>${e.name||"file"}</div>
      <div class="file-meta">${X(e.size)}${e.mime?" · "+e.mime:""}${xo(e,s)&&" · "+xo(e,s)}</div>
      ${o&&c`<${Do} prog=${s} label=${"Downloading "+(e.name||"file")} />`}
    </div>
    ${n?c`<button type="button" class="icon-btn" aria-label=${"Save "+(e.name||"file")} onClick=${()=>Rt(e.id,e.name)}>
          <${$} name="download" />
        </button>`:!o&&c`<button type="button" class="icon-btn" aria-label=${"Download "+(e.name||"file")+", "+X(e.size)} onClick=${()=>jt(e.id)}>
          <${$} name="download" />
        </button>`}
  </div>`}function Ls({media:e,prog:t,onOpen:n}){let o=e.state==="local",s=So(e.width,e.height),a=o?$e(e.id):e.thumbnail?Tt(e.id):"";if(!a)return c`<${Mo} media=${e} prog=${t} />`;let i=e.state==="fetching"||e.state==="retrying";return c`<div>
    <button type="button" class=${H("media-img",!o&&"remote")} onClick=${n} aria-label=${"Open picture "+(e.name||"")}>
      <img src=${a} alt=${e.caption||e.name||"picture"} width=${s.width} height=${s.height} loading="lazy" decoding="async" />
    </button>
    ${!o&&c`<div class="row file-meta">
      ${i?c`<${Do} prog=${t} label=${"Downloading "+(e.name||"picture")} />`:c`<button type="button" class="btn" onClick=${()=>jt(e.id)}><${$} name="download" /> ${X(e.size)}</button>`}
    </div>`}
  </div>`}function To({media:e,onClose:t}){return c`<${U} title=${e.name||"Picture"} onClose=${t} class="viewer">
    <div class="viewer-body">
      <img src=${$e(e.id)} alt=${e.caption||e.name||"picture"} />
    </div>
    <div class="row">
      <button type="button" class="btn" onClick=${()=>Rt(e.id,e.name)}><${$} name="download" /> Save</button>
    </div>
  </${U}>`}function Ns({media:e,prog:t,onOpen:n}){let o=e.mime||"",s=e.state==="local";return o.startsWith("image/")?c`<${Ls} media=${e} prog=${t} onOpen=${n} />`:o.startsWith("video/")?c`<video
      class="media-video"
      controls
      preload=${s?"metadata":"none"}
      poster=${e.thumbnail?Tt(e.id):void 0}
      src=${$e(e.id)}
      aria-label=${"Video "+(e.name||"")}
      width=${So(e.width,e.height).width}
    ></video>`:o.startsWith("audio/")?c`<audio class="media-audio" controls preload=${s?"metadata":"none"} src=${$e(e.id)} aria-label=${"Audio "+(e.name||"")}></audio>`:c`<${Mo} media=${e} prog=${t} />`}function Ro({m:e,onClose:t}){let n=b(l=>l.receiptTick||0),o=b(l=>l.groups.get(e.group)),[s,a]=g(null),[i,r]=g("");D(()=>{M("/v1/groups/"+e.group+"/messages/"+e.id+"/receipts").then(l=>a(l.receipts||{})).catch(l=>r(l.message))},[n,e.id,e.group]);let u=o?o.members.filter(l=>!f.me||l.account!==f.me.account):[],p=new Set([...u.map(l=>l.account),...Object.keys(s||{})]);return c`<${U} title="Message info" onClose=${t}>
    <p class="text">${e.media?"📎 "+(e.media.name||"file")+(e.text?" — "+e.text:""):e.text}</p>
    ${i&&c`<p class="error-text">${i}</p>`}
    ${!s&&!i&&c`<p class="muted">Loading…</p>`}
    ${s&&c`<ul class="list receipts">
      ${[...p].map(l=>{let m=s[l]||"";return c`<li key=${l} data-account=${l} data-receipt=${m||"none"}>
          <span class="grow">${B(l)}</span>
          <span class="muted">${m==="read"?"Read":m==="delivered"?"Delivered":"Not yet delivered"}</span>
          <${Vt} state=${m==="read"?"read":m==="delivered"?"delivered":"sent"} />
        </li>`})}
    </ul>`}
  </${U}>`}var Io=Tn(function({m:t,sender:n,prog:o,onOpen:s,onInfo:a}){let i=t.direction==="out";return c`<div class=${H("msg",i?"out":"in")} data-id=${t.id} data-state=${t.state}>
    <div class="bubble">
      ${n?c`<span class="sender">${n}</span>`:c`<span class="sr-only">${i?"You:":""}</span>`}
      ${t.media&&c`<${Ns} media=${t.media} prog=${o} onOpen=${()=>s(t.media)} />`}
      ${t.text&&c`<span class="text">${t.text}</span>`}
      <span class="meta">
        <time datetime=${t.sent_at}>${En(t.sent_at)}</time>
        ${i&&(t.group?c`<button type="button" aria-label=${"Message info: "+(Co[t.state]||t.state)} onClick=${()=>a(t)}><${Vt} state=${t.state} /></button>`:c`<${Vt} state=${t.state} />`)}
      </span>
      ${i&&t.state==="pending"&&t.pending&&t.pending.reason&&c`<span class="why">${t.pending.reason}</span>`}
    </div>
  </div>`});function Po({u:e,onCancel:t}){return c`<div class="msg out upload" data-upload=${e.name}>
    <div class="bubble">
      ${e.preview&&c`<img src=${e.preview} alt="" />`}
      <div class="file-name">${e.name}</div>
      <div class="file-meta">${e.error?c`<span class="error-text">${e.error}</span>`:"sending "+Lt(e.loaded,e.size)+"% of "+X(e.size)}</div>
      ${!e.error&&c`<progress aria-label=${"Sending "+e.name} max=${e.size||1} value=${e.loaded}></progress>`}
      <div class="row"><button type="button" class="btn" onClick=${t}>${e.error?"Dismiss":"Cancel"}</button></div>
    </div>
  </div>`}var As=0;function Lo({chatKey:e,dropped:t}){let[n,o]=g(""),[s,a]=g([]),[i,r]=g(!1),u=O(null),p=O(null),l=_=>{let w=[..._].map(k=>({id:++As,file:k,preview:k.type.startsWith("image/")?URL.createObjectURL(k):""}));w.length&&a(k=>k.concat(w)),u.current&&u.current.focus()},m=_=>a(w=>w.filter(k=>(k.id===_&&k.preview&&URL.revokeObjectURL(k.preview),k.id!==_)));D(()=>{t&&t.length&&l(t)},[t]),D(()=>{u.current&&u.current.focus({preventScroll:!0})},[]),D(()=>{let _=u.current;_&&(_.style.height="auto",_.style.height=_.scrollHeight+2+"px")},[n]);let h=async()=>{let _=n.trim();if(i||!_&&!s.length)return;let w=s;if(o(""),a([]),nt(e,!1),w.length){w.forEach((k,C)=>{to(e,k.file,C===0?_:"").finally(()=>k.preview&&URL.revokeObjectURL(k.preview))});return}r(!0);try{await eo(e,_)}catch(k){o(_),x(k)}finally{r(!1),u.current&&u.current.focus()}},d=_=>{_.key==="Enter"&&!_.shiftKey&&!_.isComposing&&(_.preventDefault(),h())},y=_=>{let w=_.clipboardData&&_.clipboardData.files;w&&w.length&&(_.preventDefault(),l(w))};return c`<div class="composer-wrap">
    ${s.length>0&&c`<ul class="staged" aria-label="Files to send">
      ${s.map(_=>c`<li class="staged-item" key=${_.id}>
          ${_.preview?c`<img src=${_.preview} alt="" />`:c`<${$} name="doc" />`}
          <span class="grow">${_.file.name} <span class="muted">${X(_.file.size)}</span></span>
          <button type="button" class="icon-btn" aria-label=${"Remove "+_.file.name} onClick=${()=>m(_.id)}><${$} name="close" /></button>
        </li>`)}
    </ul>`}
    <form
      class="composer"
      onSubmit=${_=>{_.preventDefault(),h()}}
    >
      <button type="button" class="icon-btn" aria-label="Attach files" onClick=${()=>p.current.click()}><${$} name="attach" /></button>
      <input ref=${p} type="file" multiple hidden aria-hidden="true" tabindex="-1" onChange=${_=>(l(_.target.files),_.target.value="")} />
      <label class="sr-only" for=${"composer-"+e}>${s.length?"Caption":"Message"}</label>
      <textarea
        id=${"composer-"+e}
        ref=${u}
        rows="1"
        placeholder=${s.length?"Add a caption":"Type a message"}
        value=${n}
        onInput=${_=>{o(_.target.value),_.target.value&&nt(e,!0)}}
        onKeyDown=${d}
        onPaste=${y}
        aria-describedby="composer-help"
      ></textarea>
      <span id="composer-help" class="sr-only">Enter sends, Shift+Enter starts a new line. Paste or drop files to attach them.</span>
      <button type="submit" class="icon-btn send" aria-label="Send" disabled=${i}><${$} name="send" /></button>
    </form>
  </div>`}var lt=200,Ce=50,No=600,Es=(e,t)=>e===t||e.length===t.length&&e.every((n,o)=>n===t[o]);function Us({chatKey:e}){let t=b(n=>{let o=n.chats.get(e);return o?{loading:o.loading,hasOlder:o.hasOlder,ready:o.ready,empty:!o.msgs.length}:{empty:!0}});return t.loading?c`<p class="older" role="status">Loading older messages…</p>`:t.hasOlder?c`<p class="older"> </p>`:c`<p class="older">${t.ready?t.empty?"No messages yet":"The beginning of this chat":""}</p>`}var Kt=class extends ae{constructor(t){super(t),this.state={msgs:null,start:0,end:0,stick:!0,wantUp:!1},this.scroller=null,this.raf=0,this.olderFrom=0,this.openMedia=n=>t.onOpenMedia(n),this.openInfo=n=>t.onInfo(n),this.onScroll=()=>{this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check())))},this.setRef=n=>this.scroller=n,this.jump=()=>{let n=this.props.chat.msgs.length;this.setState({start:Math.max(0,n-Ce),end:n,stick:!0})}}static getDerivedStateFromProps(t,n){let o=t.chat.msgs;if(o===n.msgs)return null;let s=o.length;if(!n.msgs||!n.msgs.length||!s)return{msgs:o,start:Math.max(0,s-Ce),end:s,stick:!0,wantUp:!1};let a=n.msgs[0].id,i=0;if(o[0].id!==a&&(i=o.findIndex(l=>l.id===a),i<0))return{msgs:o,start:Math.max(0,s-Ce),end:s,stick:!0,wantUp:!1};let r=n.start+i,u=n.end+i,p=n.end===n.msgs.length;return n.wantUp&&i>0?(r=Math.max(0,r-Ce),u=Math.min(u,r+lt)):p&&n.stick&&(u=s,r=Math.max(r,u-lt)),{msgs:o,start:r,end:u,wantUp:n.wantUp&&i===0}}shouldComponentUpdate(t,n){let o=this.props,s=this.state;return t.chat.msgs!==o.chat.msgs||t.group!==o.group||t.progress!==o.progress||!Es(t.uploads,o.uploads)||n.msgs!==s.msgs||n.start!==s.start||n.end!==s.end||n.stick!==s.stick}getSnapshotBeforeUpdate(){let t=this.scroller;if(!t)return null;if(this.state.stick)return{stick:!0};let n=t.scrollTop;for(let o of t.querySelectorAll(".msg[data-id]"))if(o.offsetTop+o.offsetHeight>n)return{id:o.dataset.id,delta:o.offsetTop-n};return null}componentDidMount(){this.scroller.scrollTop=this.scroller.scrollHeight,this.check()}componentDidUpdate(t,n,o){let s=this.scroller;if(o&&o.stick)s.scrollTop=s.scrollHeight;else if(o&&o.id){let a=s.querySelector('.msg[data-id="'+o.id+'"]');a&&(s.scrollTop=a.offsetTop-o.delta)}this.olderFrom&&n.msgs!==this.state.msgs&&n.msgs&&this.state.msgs[0]!==n.msgs[0]&&(performance.measure("pigeon:older-page",{start:this.olderFrom,end:performance.now()}),this.olderFrom=0),this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check())))}componentWillUnmount(){cancelAnimationFrame(this.raf)}check(){let t=this.scroller;if(!t)return;let{chat:n}=this.props,{start:o,end:s}=this.state,a=n.msgs.length,i=t.scrollHeight-t.scrollTop-t.clientHeight,r=i<40&&s===a;if(r!==this.state.stick&&this.setState({stick:r}),t.scrollTop<No)if(o>0){let u=Math.max(0,o-Ce);this.setState({start:u,end:Math.min(s,u+lt),stick:!1})}else n.hasOlder&&!n.loading&&!this.state.wantUp&&(this.olderFrom=performance.now(),Jn(n.key).then(u=>{u||(this.olderFrom=0,this.setState({wantUp:!1}))}),this.setState({wantUp:!0}));else if(i<No&&s<a){let u=Math.min(a,s+Ce);this.setState({end:u,start:Math.max(o,u-lt)})}}render({chat:t,group:n,progress:o,uploads:s},{start:a,end:i,stick:r}){let u=t.msgs,p=[];a===0&&p.push(c`<${Us} key="older" chatKey=${t.key} />`);for(let l=a;l<i;l++){let m=u[l],h=l>0?u[l-1]:null,d=Pt(m.sent_at),y=!h||Pt(h.sent_at)!==d;y&&p.push(c`<div class="day" role="separator" key=${"d"+m.id}>${Pe(m.sent_at)}</div>`);let _=n&&m.direction==="in"&&(y||h.sender!==m.sender||h.direction!=="in")?m.sender_name||B(m.sender):"",w=m.media?o.get(m.media.id):void 0;p.push(c`<${Io} key=${m.id} m=${m} sender=${_} prog=${w} onOpen=${this.openMedia} onInfo=${this.openInfo} />`)}if(i===u.length)for(let l of s)p.push(c`<${Po} key=${"u"+l.uid} u=${l} onCancel=${()=>l.error?no(l.uid):l.abort()} />`);return c`<div
        class="messages"
        ref=${this.setRef}
        onScroll=${this.onScroll}
        tabindex="0"
        aria-label="Messages"
        data-start=${a}
        data-end=${i}
        data-total=${u.length}
      >
        ${p}
      </div>
      ${(!r||i<u.length)&&c`<button type="button" class="btn jump" onClick=${this.jump} aria-label="Jump to the latest message"><${$} name="down" /> Latest</button>`}`}};function Os({chatKey:e,group:t,info:n}){let o=e.startsWith("g:"),s=e.slice(2),a=b(()=>G(e)),i=b(m=>o?null:m.presence.get(s)),r=b(m=>m.typing.get(e)),u="",p=!1;if(r&&r.size){p=!0;let m=[...r.keys()].map(B);u=o?m.join(", ")+(m.length>1?" are typing…":" is typing…"):"typing…"}else o?u=t?t.members.map(m=>f.me&&m.account===f.me.account?"You":m.name||B(m.account)).join(", "):"":i&&(u=i.state==="online"?"online":i.last_seen?Ke(i.last_seen):"");let l=(o?"/group/":"/chat/")+s+"/info";return c`<header class="bar">
    <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${E}><${$} name="back" /></a>
    <${z} name=${a} group=${o} online=${i&&i.state==="online"} />
    <div class="title">
      <button type="button" onClick=${()=>q(n?l.slice(0,-5):l)} aria-label=${(n?"Hide":"Show")+" details of "+a}>
        <h2>${a}</h2>
        <span class=${H("subtitle",p&&"typing")} data-presence=${i?i.state:""}>${u}</span>
      </button>
    </div>
    <a href=${n?l.slice(0,-5):l} class="icon-btn" onClick=${E} aria-label=${o?"Group details":"Contact details"} aria-pressed=${n?"true":"false"}>
      <${$} name="info" />
    </a>
  </header>`}function qs({chat:e}){let[t,n]=g(""),o=O("");return D(()=>{let s=e.msgs[e.msgs.length-1];if(!s||s.id===o.current)return;let a=!o.current;o.current=s.id,!a&&s.direction==="in"&&n((s.sender_name||B(s.sender))+": "+(s.text||(s.media?"a file":"")))},[e.msgs]),c`<div class="sr-only" aria-live="polite">${t}</div>`}function Ao({chatKey:e,info:t}){let n=e.startsWith("g:"),o=e.slice(2),s=b(S=>S.chats.get(e)),a=b(S=>n?S.groups.get(o):null),i=b(S=>S.progress),r=b(S=>S.uploads),u=b(S=>n?null:S.identity.get(o)),[p,l]=g(null),[m,h]=g(null),[d,y]=g(!1),[_,w]=g(null),k=Qe(S=>l(S),[]),C=Qe(S=>h(S),[]),N=r.filter(S=>S.key===e),R=!n||!a||a.status==="active"&&(a.settings.post!=="admins"||a.role==="owner"||a.role==="admin"),ne=n&&a&&a.status!=="active"?a.status==="left"?"You left this group.":"You were removed from this group.":R?"":"Only admins can send messages to this group.",qe=S=>{ne||!S.dataTransfer||![...S.dataTransfer.types].includes("Files")||(S.preventDefault(),y(!0))},_e=S=>{y(!1),!(ne||!S.dataTransfer||!S.dataTransfer.files.length)&&(S.preventDefault(),w([...S.dataTransfer.files]))};return c`<section
    class="conversation"
    aria-label=${"Chat with "+G(e)}
    data-chat=${e}
    onDragOver=${qe}
    onDragLeave=${S=>S.currentTarget===S.target&&y(!1)}
    onDrop=${_e}
  >
    <${Os} chatKey=${e} group=${a} info=${t} />
    ${u&&c`<div class="banner" role="alert">
      <${$} name="shield" />
      <span class="grow">${G(e)}'s device keys changed (a reinstall, or someone in between). Compare your safety number with them before you trust new messages.</span>
      <a class="btn" href=${"/chat/"+o+"/info"} onClick=${E}>Compare</a>
    </div>`}
    ${s?c`<${Kt} key=${e} chat=${s} group=${n} progress=${i} uploads=${N} onOpenMedia=${k} onInfo=${C} />`:c`<div class="messages"></div>`}
    <${Fs} chatKey=${e} />
    <${qs} chat=${s||{msgs:[]}} />
    ${ne?c`<p class="readonly-note">${ne}</p>`:c`<${Lo} key=${e} chatKey=${e} dropped=${_} />`}
    ${d&&c`<div class="drop-hint" aria-hidden="true">Drop files to send them</div>`}
    ${p&&c`<${To} media=${p} onClose=${()=>l(null)} />`}
    ${m&&c`<${Ro} m=${m} onClose=${()=>h(null)} />`}
  </section>`}function Fs({chatKey:e}){let t=b(o=>o.typing.get(e)),n=t?[...t.keys()].map(B):[];return c`<div class="typing-line" aria-live="polite" data-typing=${n.length?"yes":"no"}>
    ${n.length?e.startsWith("g:")?n.join(", ")+(n.length>1?" are typing…":" is typing…"):n[0]+" is typing…":""}
  </div>`}function ge({onText:e}){let[t,n]=g(!1),[o,s]=g(""),a=O(null),i=async(r,u)=>{try{let p=await Ln(r);if(p)return n(!1),s(""),e(p),!0}catch(p){u||s(p.message||"No QR code found in that image.")}return!1};return D(()=>{let r=u=>{let p=u.clipboardData&&[...u.clipboardData.files].find(l=>l.type.startsWith("image/"));p&&(u.preventDefault(),i(p))};return document.addEventListener("paste",r),()=>document.removeEventListener("paste",r)},[]),c`<div class="scan">
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
        onChange=${r=>{let u=r.target.files[0];r.target.value="",u&&i(u)}}
      />
    </div>
    <p class="muted">You can also paste a screenshot of a QR code here.</p>
    ${t&&c`<${js} onFrame=${r=>i(r,!0)} onError=${r=>(s(r),n(!1))} />`}
    ${o&&c`<p class="error-text" role="alert">${o}</p>`}
  </div>`}function js({onFrame:e,onError:t}){let n=O(null);return D(()=>{let o=null,s=0,a=!1,i=document.createElement("canvas"),r=()=>{let u=n.current;if(!(a||!u)){if(u.videoWidth){i.width=u.videoWidth,i.height=u.videoHeight,i.getContext("2d").drawImage(u,0,0),i.toBlob(async p=>{p&&!a&&await e(p)&&(a=!0),a||(s=setTimeout(r,600))},"image/jpeg",.85);return}s=setTimeout(r,300)}};return navigator.mediaDevices.getUserMedia({video:{facingMode:"environment"}}).then(u=>{if(o=u,a)return u.getTracks().forEach(p=>p.stop());n.current.srcObject=u,n.current.play(),r()}).catch(()=>t("The camera is not available: allow it in the browser, or use an image of the code.")),()=>{a=!0,clearTimeout(s),o&&o.getTracks().forEach(u=>u.stop())}},[]),c`<div class="camera"><video ref=${n} muted playsinline aria-label="Camera"></video></div>`}function Eo({onClose:e,initial:t}){let[n,o]=g(t||""),[s,a]=g(""),[i,r]=g(""),[u,p]=g(!1),l=he(),m=Je(n);D(()=>{m&&m.kind==="account"&&m.name&&!s&&a(m.name)},[n]);let h=async d=>{if(d.preventDefault(),!m){r("That is not an account ID (pg… 60 characters) or a contact link. Ask your contact for the one on their “My account” screen.");return}p(!0),r("");try{if(m.kind==="invite"){let y=await ot(m.link);P(y.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),q("/group/"+y.group);return}await Ht(m.account,s.trim()),e(),q("/chat/"+m.account)}catch(y){r(y.message)}finally{p(!1)}};return c`<${U}
    title="Add contact"
    onClose=${e}
    actions=${c`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="add-contact" class="btn primary" disabled=${u}>${m&&m.kind==="invite"?"Join group":"Add"}</button>`}
  >
    <form id="add-contact" onSubmit=${h}>
      <label class="field">
        <span>Account ID or link</span>
        <input ref=${l} type="text" name="account" autocomplete="off" spellcheck="false" value=${n} onInput=${d=>o(d.target.value)} placeholder="pg… or pigeon:pg…" />
      </label>
      ${m&&m.kind==="invite"&&c`<p class="muted">This is a group invite link: adding it joins the group.</p>`}
      ${(!m||m.kind==="account")&&c`<label class="field">
        <span>Name (only you see it)</span>
        <input type="text" name="name" value=${s} onInput=${d=>a(d.target.value)} />
      </label>`}
      ${i&&c`<p class="error-text" role="alert">${i}</p>`}
    </form>
    <${ge} onText=${d=>(o(d),r(""))} />
  </${U}>`}function Uo(){let e=b(s=>s.me),[t,n]=g(localStorage.getItem("pigeon.my-name")||"");if(!e)return null;let o=qn(e.account,t.trim());return c`<div class="card my-account">
    <h3>My account</h3>
    <p class="muted">Others add you with this ID, this link or by scanning the code.</p>
    <p class="mono" data-account=${e.account}>${e.account}</p>
    <div class="row">
      <button type="button" class="btn" onClick=${async()=>P(await Ee(e.account)?"Account ID copied.":"Copy failed: select the ID and copy it.")}>
        <${$} name="copy" /> Copy ID
      </button>
      <button type="button" class="btn" onClick=${async()=>P(await Ee(o)?"Contact link copied.":"Copy failed.")}>
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
    <img class="qr" src=${de(o)} alt=${"QR code of your contact link "+o} width="220" height="220" />
    <p class="muted">Device ${e.device} · peer ${W(e.peer_id)}</p>
  </div>`}function Oo({onAdd:e}){let n=[...b(o=>o.contacts).values()].sort((o,s)=>(o.name||o.account).localeCompare(s.name||s.account));return c`<section class="pane page" aria-labelledby="contacts-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${E}><${$} name="back" /></a>
      <h2 id="contacts-title">Contacts</h2>
      <button type="button" class="btn primary" onClick=${e}><${$} name="person-add" /> Add contact</button>
    </header>
    <div class="page-body">
      <div class="card">
        <ul class="list">
          ${n.map(o=>c`<li key=${o.account} data-account=${o.account}>
              <${z} small name=${o.name} />
              <span class="grow">
                <strong>${o.name||W(o.account)}</strong>
                ${o.verified&&c` <span class="verified">✓ verified</span>`}
                ${o.identity_changed_at&&c` <span class="error-text">keys changed</span>`}
                <div class="mono muted">${o.account}</div>
              </span>
              <a class="btn" href=${"/chat/"+o.account} onClick=${E}><${$} name="chat" /> Message</a>
            </li>`)}
          ${!n.length&&c`<li class="muted">No contacts yet. Add one with their account ID, link or QR code.</li>`}
        </ul>
      </div>
      <${Uo} />
    </div>
  </section>`}function qo(){return c`<section class="pane page" aria-labelledby="me-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${E}><${$} name="back" /></a>
      <h2 id="me-title">My account</h2>
    </header>
    <div class="page-body"><${Uo} /></div>
  </section>`}function Ws({account:e}){let t=b(d=>d.contacts.get(e)),n=b(d=>d.identity.get(e)),[o,s]=g(""),[a,i]=g(""),[r,u]=g(!1),[p,l]=g(null);D(()=>{M("/v1/contacts/"+J(e)+"/safety-number").then(d=>s(d.safety_number)).catch(d=>i(d.message))},[e,t&&t.identity_changed_at,n]);let m=Fn(o).split(" ").filter(Boolean),h=async()=>{try{await ro(e),P("Marked as verified.")}catch(d){x(d)}};return c`<div class="section safety-number">
    <h3>Safety number</h3>
    ${(n||t&&t.identity_changed_at)&&c`<p class="banner" role="alert"><${$} name="shield" /> Their device keys changed${t&&t.verified?" since you verified it":""} (a reinstall, or someone in between). Compare the safety number again before you trust new messages.</p>`}
    ${a&&c`<p class="error-text">${a}</p>`}
    ${o&&c`<div class="safety" aria-label=${"Safety number "+m.join(" ")} data-safety=${o}>${m.map((d,y)=>c`<span key=${y}>${d}</span>`)}</div>
      <img class="qr" src=${de(o)} alt="QR code of the safety number, for the other side to scan" width="220" height="220" />
      <p class="muted">Compare these digits with ${t&&t.name?t.name:"your contact"}'s screen, in person or on a call, or scan each other's code.</p>`}
    ${r&&c`<${ge}
      onText=${d=>{u(!1),l(d.replace(/\s/g,"")===o)}}
    />`}
    ${p===!0&&c`<p class="verified" role="status">The numbers match.</p>`}
    ${p===!1&&c`<p class="error-text" role="alert">The numbers do not match: do not verify.</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${()=>u(!r)}><${$} name="camera" /> ${r?"Stop scanning":"Scan their code"}</button>
      ${t&&t.verified&&!t.identity_changed_at?c`<span class="verified"><${$} name="shield" /> Verified</span>`:c`<button type="button" class="btn primary" onClick=${h} disabled=${!t}>Mark as verified</button>`}
    </div>
  </div>`}var Hs=[[-1,"As in Settings"],[0,"Never"],[1<<20,"Up to 1 MB"],[16<<20,"Up to 16 MB"],[100<<20,"Up to 100 MB"],[16*1024*1024*1024,"Always"]];function Bs({account:e}){let[t,n]=g(localStorage.getItem("pigeon.auto."+e)||"-1"),o=async s=>{try{await F("/v1/conversations/"+J(e)+"/auto-download",{max_bytes:Number(s)}),localStorage.setItem("pigeon.auto."+e,s),n(s)}catch(a){x(a)}};return c`<label class="field">
    <span>Download files from this chat on arrival</span>
    <select value=${t} onChange=${s=>o(s.target.value)}>
      ${Hs.map(([s,a])=>c`<option value=${String(s)}>${a}</option>`)}
    </select>
  </label>`}function Fo({account:e}){let t=b(r=>r.contacts.get(e)),n=b(r=>r.presence.get(e)),[o,s]=g(t?t.name:"");D(()=>s(t?t.name:""),[t&&t.name]);let a=async r=>{r.preventDefault();try{await F("/v1/contacts/"+J(e),{name:o.trim()}),await ee(),we(),P("Saved.")}catch(u){x(u)}},i=async()=>{if(confirm("Remove this contact? The chat stays."))try{await Y("/v1/contacts/"+J(e)),await ee()}catch(r){x(r)}};return c`<aside class="drawer" aria-label="Contact details">
    <header class="bar">
      <a href=${"/chat/"+e} class="icon-btn" onClick=${E} aria-label="Close details"><${$} name="close" /></a>
      <h2>Contact details</h2>
    </header>
    <div class="section">
      ${t?c`<form onSubmit=${a} class="row">
            <label class="field grow"><span>Name</span><input type="text" value=${o} onInput=${r=>s(r.target.value)} /></label>
            <button class="btn" type="submit">Save</button>
          </form>`:c`<p>Not in your contacts.</p>
            <button type="button" class="btn primary" onClick=${()=>Ht(e,"").catch(x)}>Add to contacts</button>`}
      <p class="label">Account ID</p>
      <p class="mono">${e}</p>
      ${n&&c`<p class="muted">${n.state==="online"?"Online":n.state==="offline"?"Offline":"Presence not shared"}</p>`}
    </div>
    <${Ws} account=${e} />
    <div class="section">
      <h3>Files</h3>
      <${Bs} account=${e} />
    </div>
    ${t&&c`<div class="section"><button type="button" class="btn danger" onClick=${i}><${$} name="trash" /> Remove contact</button></div>`}
  </aside>`}function jo({chosen:e,onChange:t,exclude:n}){let s=[...b(a=>a.contacts).values()].filter(a=>!n||!n.has(a.account));return s.length?c`<fieldset class="pick">
    <legend class="sr-only">Members</legend>
    ${s.map(a=>c`<label key=${a.account}>
        <input
          type="checkbox"
          checked=${e.has(a.account)}
          onChange=${i=>{let r=new Set(e);i.target.checked?r.add(a.account):r.delete(a.account),t(r)}}
        />
        ${a.name||W(a.account)}
      </label>`)}
  </fieldset>`:c`<p class="muted">No contacts to choose from. Add contacts first, or share an invite link.</p>`}function Wo({onClose:e}){let[t,n]=g(""),[o,s]=g(""),[a,i]=g(new Set),[r,u]=g(""),[p,l]=g(!1),m=he(),h=async d=>{if(d.preventDefault(),!t.trim()){u("Give the group a name.");return}l(!0);try{let y=await co(t.trim(),o.trim(),[...a]);e(),q("/group/"+y.id)}catch(y){u(y.message)}finally{l(!1)}};return c`<${U}
    title="New group"
    onClose=${e}
    actions=${c`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="new-group" class="btn primary" disabled=${p}>Create</button>`}
  >
    <form id="new-group" onSubmit=${h}>
      <label class="field"><span>Name</span><input ref=${m} type="text" name="name" value=${t} onInput=${d=>n(d.target.value)} /></label>
      <label class="field"><span>Description (optional)</span><textarea rows="2" name="description" value=${o} onInput=${d=>s(d.target.value)}></textarea></label>
      <p class="label">Members</p>
      <${jo} chosen=${a} onChange=${i} />
      ${r&&c`<p class="error-text" role="alert">${r}</p>`}
    </form>
  </${U}>`}function Ho({onClose:e}){let[t,n]=g(""),[o,s]=g(""),[a,i]=g(!1),r=he(),u=async p=>{let l=Je(p);if(!l||l.kind!=="invite"){s("That is not a group invite link (it starts with pgi). Ask a member for a new one.");return}i(!0),s("");try{let m=await ot(l.link);P(m.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),q("/group/"+m.group)}catch(m){s(m.message)}finally{i(!1)}};return c`<${U}
    title="Join a group"
    onClose=${e}
    actions=${c`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="join-group" class="btn primary" disabled=${a}>${a?"Asking the group…":"Join"}</button>`}
  >
    <form
      id="join-group"
      onSubmit=${p=>{p.preventDefault(),u(t)}}
    >
      <label class="field"><span>Invite link</span><input ref=${r} type="text" name="link" autocomplete="off" spellcheck="false" value=${t} onInput=${p=>n(p.target.value)} placeholder="pgi…" /></label>
      ${o&&c`<p class="error-text" role="alert">${o}</p>`}
    </form>
    <${ge} onText=${p=>(n(p),u(p))} />
  </${U}>`}var Xt=(e,t)=>e.role==="owner"||e.role==="admin"||e.settings&&e.settings[t]==="members"&&e.role==="member";function Gs({g:e}){let[t,n]=g(""),[o,s]=g("86400"),a=async()=>{try{let r=await I("/v1/groups/"+e.id+"/invites",{ttl_seconds:Number(o)});n(r.link),Q(e.id)}catch(r){x(r)}},i=async()=>{try{await I("/v1/groups/invites/revoke",{link:t}),n(""),Q(e.id),P("Invite link revoked: nobody can join with it now.")}catch(r){x(r)}};return c`<div class="section invites">
    <h3>Invite link</h3>
    ${t?c`<p class="mono" data-invite=${t}>${t}</p>
          <img class="qr" src=${de(t)} alt="QR code of the invite link" width="220" height="220" />
          <div class="row">
            <button type="button" class="btn" onClick=${async()=>P(await Ee(t)?"Invite link copied.":"Copy failed: select the link and copy it.")}>
              <${$} name="copy" /> Copy
            </button>
            <button type="button" class="btn danger" onClick=${i}>Revoke</button>
          </div>`:c`<div class="row">
          <label class="field grow">
            <span>Valid for</span>
            <select value=${o} onChange=${r=>s(r.target.value)}>
              <option value="3600">1 hour</option>
              <option value="86400">1 day</option>
              <option value="604800">1 week</option>
              <option value="0">Until revoked</option>
            </select>
          </label>
          <button type="button" class="btn primary" onClick=${a}><${$} name="link" /> Create invite link</button>
        </div>`}
    ${e.invites&&e.invites.length>0&&c`<p class="muted">${e.invites.length} invite link${e.invites.length>1?"s":""} open.</p>`}
  </div>`}function zs({g:e}){let t=b(l=>l.contacts),[n,o]=g(!1),[s,a]=g(new Set),i=f.me&&f.me.account,r=e.role==="owner"||e.role==="admin",u=async l=>{try{await l(),await Q(e.id)}catch(m){x(m)}},p="/v1/groups/"+e.id+"/members";return c`<div class="section members">
    <h3>${e.members.length} members</h3>
    <ul class="list">
      ${e.members.map(l=>{let m=l.account===i?"You":l.name||(t.get(l.account)||{}).name||W(l.account);return c`<li key=${l.account} data-account=${l.account}>
          <${z} small name=${m} />
          <span class="grow">${m}</span>
          ${l.role!=="member"&&c`<span class="role">${l.role}</span>`}
          ${r&&l.account!==i&&l.role!=="owner"&&c`<span class="row">
            ${l.role==="member"?c`<button type="button" class="btn" onClick=${()=>u(()=>F(p+"/"+l.account+"/role",{role:"admin"}))} aria-label=${"Make "+m+" an admin"}>Make admin</button>`:e.role==="owner"&&c`<button type="button" class="btn" onClick=${()=>u(()=>F(p+"/"+l.account+"/role",{role:"member"}))} aria-label=${"Make "+m+" a member"}>Dismiss as admin</button>`}
            <button type="button" class="btn danger" onClick=${()=>confirm("Remove "+m+" from the group?")&&u(()=>Y(p+"/"+l.account))} aria-label=${"Remove "+m}>
              Remove
            </button>
          </span>`}
        </li>`})}
    </ul>
    ${Xt(e,"add")&&(n?c`<div>
          <${jo} chosen=${s} onChange=${a} exclude=${new Set(e.members.map(l=>l.account))} />
          <div class="row">
            <button
              type="button"
              class="btn primary"
              disabled=${!s.size}
              onClick=${()=>u(async()=>{await I(p,{accounts:[...s],role:"member"}),o(!1),a(new Set)})}
            >
              Add ${s.size||""}
            </button>
            <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
          </div>
        </div>`:c`<button type="button" class="btn" onClick=${()=>o(!0)}><${$} name="person-add" /> Add members</button>`)}
  </div>`}function Jt({g:e,k:t,label:n}){let o=async s=>{try{await Dt("/v1/groups/"+e.id,{settings:{...e.settings,[t]:s}}),await Q(e.id)}catch(a){x(a)}};return c`<label class="field">
    <span>${n}</span>
    <select value=${e.settings[t]} onChange=${s=>o(s.target.value)}>
      <option value="members">All members</option>
      <option value="admins">Only admins</option>
    </select>
  </label>`}function Ys({g:e}){return c`<div class="section">
    <h3>Permissions</h3>
    <${Jt} g=${e} k="post" label="Who can send messages" />
    <${Jt} g=${e} k="add" label="Who can add members" />
    <${Jt} g=${e} k="edit_info" label="Who can change name and description" />
  </div>`}function Bo({id:e}){let t=b(l=>l.groups.get(e)),[n,o]=g(null),[s,a]=g(null);if(!t)return c`<aside class="drawer"><p class="hint">Loading the group…</p></aside>`;let i=t.status==="active",r=i&&Xt(t,"edit_info"),u=async l=>{l.preventDefault();try{await Dt("/v1/groups/"+e,{name:(n??t.name).trim(),description:(s??t.description??"").trim()}),await Q(e),await ce(),o(null),a(null),P("Saved.")}catch(m){x(m)}},p=async()=>{if(confirm("Leave "+t.name+"? You will not get its messages any more."))try{await I("/v1/groups/"+e+"/leave"),await Q(e)}catch(l){x(l)}};return c`<aside class="drawer" aria-label="Group details" data-group=${e}>
    <header class="bar">
      <a href=${"/group/"+e} class="icon-btn" onClick=${E} aria-label="Close details"><${$} name="close" /></a>
      <h2>Group details</h2>
    </header>
    <div class="section">
      ${r?c`<form onSubmit=${u}>
            <label class="field"><span>Name</span><input type="text" name="name" value=${n??t.name} onInput=${l=>o(l.target.value)} /></label>
            <label class="field"><span>Description</span><textarea rows="3" name="description" value=${s??t.description??""} onInput=${l=>a(l.target.value)}></textarea></label>
            <button type="submit" class="btn" disabled=${n===null&&s===null}>Save</button>
          </form>`:c`<h3>${t.name}</h3>
            <p>${t.description}</p>`}
      <p class="muted">${i?"Your role: "+t.role:t.status==="left"?"You left this group.":"You were removed from this group."}</p>
    </div>
    ${i&&c`<${zs} g=${t} />`}
    ${i&&Xt(t,"add")&&c`<${Gs} g=${t} />`}
    ${i&&(t.role==="owner"||t.role==="admin")&&c`<${Ys} g=${t} />`}
    ${i&&c`<div class="section"><button type="button" class="btn danger" onClick=${p}>Leave group</button></div>`}
  </aside>`}function en(e=localStorage.getItem("pigeon.theme")||"system"){e==="light"||e==="dark"?document.documentElement.dataset.theme=e:delete document.documentElement.dataset.theme}function Qs(){let[e,t]=g(null),[n,o]=g(""),[s,a]=g(""),i=()=>M("/v1/relays").then(t).catch(x);D(()=>{i();let p=setInterval(i,1e4);return()=>clearInterval(p)},[]);let r=async p=>{p.preventDefault();try{await I("/v1/relays",s.trim()?{addr:n.trim(),invite:s.trim()}:{addr:n.trim()}),o(""),a(""),P("Relay added: the node reserves a slot there now."),i()}catch(l){x(l)}},u=async p=>{if(confirm("Stop using relay "+W(p.peer_id)+"? What its mailbox holds for you is taken first."))try{await Y("/v1/relays/"+p.peer_id),i()}catch(l){x(l)}};return c`<div class="card relays">
    <h3>Relays</h3>
    <p class="muted">Relays carry your encrypted messages while you are offline and connect you when you cannot be reached directly. They only see ciphertext.</p>
    <ul class="list">
      ${(e||[]).map(p=>c`<li key=${p.peer_id} data-peer=${p.peer_id}>
          <span class="grow">
            <span class="mono">${p.addr}</span>
            <div class="relay-stats">
              ${p.closing?"closing":p.reserved?"connected":"not connected"}
              ${p.latency_ms?" · "+p.latency_ms.toFixed(1)+" ms":""}
              ${p.region?" · "+p.region:""}
              ${p.mailbox?" · mailbox":""}
              ${p.push&&p.push!=="off"?" · push "+p.push+(p.push_reason?" ("+p.push_reason+")":""):""}
              ${p.last_error?c` · <span class="error-text">${p.last_error}</span>`:""}
            </div>
          </span>
          ${!p.closing&&c`<button type="button" class="btn danger" onClick=${()=>u(p)} aria-label=${"Remove relay "+p.addr}>Remove</button>`}
        </li>`)}
      ${e&&!e.length&&c`<li class="muted">No relays: others reach you only while you are online and reachable.</li>`}
    </ul>
    <form onSubmit=${r}>
      <label class="field"><span>Relay address</span><input type="text" name="relay" value=${n} onInput=${p=>o(p.target.value)} placeholder="/ip4/…/tcp/…/p2p/12D3Koo…" spellcheck="false" /></label>
      <label class="field"><span>Invite token (for invite-only relays)</span><input type="text" value=${s} onInput=${p=>a(p.target.value)} /></label>
      <button type="submit" class="btn" disabled=${!n.trim()}>Add relay</button>
    </form>
  </div>`}function Vs(){let[e,t]=g(null),[n,o]=g("unifiedpush"),[s,a]=g(""),[i,r]=g(""),[u,p]=g(""),l=()=>M("/v1/push").then(t).catch(x);D(()=>{l()},[]);let m=async d=>{d.preventDefault();let y={kind:n};n==="unifiedpush"||n==="webhook"?y.url=s.trim():y.token=i.trim(),n==="apns"&&(y.topic=u.trim());try{await F("/v1/push",y),P("Push endpoint set; each relay says below whether it will use it."),l()}catch(_){x(_)}},h=async()=>{try{await Y("/v1/push"),l()}catch(d){x(d)}};return c`<div class="card push">
    <h3>Push wake-ups</h3>
    <p class="muted">Your relays can wake a phone or a server of yours when something arrives while this device is away. The wake-up carries no content.</p>
    ${e&&c`<p>${e.endpoint?"Now: "+e.described:"No push endpoint."}</p>
      <ul class="list">
        ${e.relays.map(d=>c`<li key=${d.peer_id}><span class="grow mono">${W(d.peer_id)}</span><span>${d.state}${d.reason?": "+d.reason:""}</span></li>`)}
      </ul>`}
    <form onSubmit=${m}>
      <label class="field">
        <span>Kind</span>
        <select value=${n} onChange=${d=>o(d.target.value)}>
          <option value="unifiedpush">UnifiedPush</option>
          <option value="webhook">Webhook</option>
          <option value="fcm">Firebase (FCM)</option>
          <option value="apns">Apple (APNs)</option>
        </select>
      </label>
      ${n==="unifiedpush"||n==="webhook"?c`<label class="field"><span>URL</span><input type="url" value=${s} onInput=${d=>a(d.target.value)} /></label>`:c`<label class="field"><span>Token</span><input type="text" value=${i} onInput=${d=>r(d.target.value)} /></label>`}
      ${n==="apns"&&c`<label class="field"><span>Topic</span><input type="text" value=${u} onInput=${d=>p(d.target.value)} /></label>`}
      <div class="row">
        <button type="submit" class="btn">Set</button>
        ${e&&e.endpoint&&c`<button type="button" class="btn danger" onClick=${h}>Turn off</button>`}
      </div>
    </form>
  </div>`}function Ks(){let[e,t]=g("");D(()=>{M("/v1/presence/privacy").then(o=>t(o.who)).catch(x)},[]);let n=async o=>{try{await F("/v1/presence/privacy",{who:o}),t(o),P("Saved.")}catch(s){x(s)}};return c`<div class="card">
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
  </div>`}var Zt=[[0,"Never (download when I ask)"],[1<<20,"Files up to 1 MB"],[16<<20,"Files up to 16 MB"],[100<<20,"Files up to 100 MB"],[16*1024*1024*1024,"All files"]];function Js(){let e=b(s=>s.autoDownload),t=e?e.max_bytes:null,n=t==null||Zt.some(([s])=>s===t)?Zt:[...Zt,[t,"Files up to "+X(t)]],o=async s=>{try{await F("/v1/media-settings/auto-download",{max_bytes:Number(s)}),await qt()}catch(a){x(a)}};return c`<div class="card">
    <h3>Automatic downloads</h3>
    <label class="field">
      <span>Download files on arrival</span>
      <select value=${t==null?"":String(t)} onChange=${s=>o(s.target.value)}>
        ${n.map(([s,a])=>c`<option value=${String(s)}>${a}</option>`)}
      </select>
    </label>
    <p class="muted">Each chat can have its own setting in its details.</p>
  </div>`}function Xs(){let[e,t]=g(localStorage.getItem("pigeon.theme")||"system"),[n,o]=g(at()),s=a=>{localStorage.setItem("pigeon.theme",a),t(a),en(a)};return c`<div class="card">
    <h3>Appearance and notifications</h3>
    <fieldset class="field">
      <legend class="label">Theme</legend>
      <div class="row">
        ${["system","light","dark"].map(a=>c`<label key=${a}><input type="radio" name="theme" value=${a} checked=${e===a} onChange=${()=>s(a)} /> ${a==="system"?"Follow the system":a==="light"?"Light":"Dark"}</label>`)}
      </div>
    </fieldset>
    <p>
      Notifications:
      ${n==="granted"?" on, while this tab is in the background.":n==="denied"?" blocked in this browser’s site settings.":n==="unsupported"?" not supported by this browser.":c` <button type="button" class="btn" onClick=${async()=>o(await it())}>Turn on</button>`}
    </p>
  </div>`}function Zs(){return c`<div class="card">
    <h3>This browser</h3>
    <p class="muted">Signing out ends this browser's session; run <code>pigeon web</code> to sign in again.</p>
    <button type="button" class="btn danger" onClick=${async()=>{try{await I("/v1/web/logout")}catch(t){if(t.status!==401)return x(t)}f.boot="signedout",f.me=null,location.replace("/")}}>Sign out</button>
  </div>`}function Go(){return c`<section class="pane page" aria-labelledby="settings-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${E}><${$} name="back" /></a>
      <h2 id="settings-title">Settings</h2>
    </header>
    <div class="page-body">
      <${$o} />
      <${Xs} />
      <${Ks} />
      <${Js} />
      <${Qs} />
      <${Vs} />
      <${Zs} />
    </div>
  </section>`}function ea(){let e=f.convs.map(n=>({key:n.key,name:n.name||G(n.key),group:!!n.group})),t=new Set(e.map(n=>n.key));for(let n of f.contacts.values()){let o=fe(n.account);t.has(o)||e.push({key:o,name:n.name||G(o),group:!1})}return e}function zo({onClose:e}){let[t,n]=g(""),[o,s]=g(0),a=he(),i=t.trim().toLowerCase(),r=ea(),u=(i?r.filter(h=>h.name.toLowerCase().includes(i)):r).slice(0,50),p=Math.min(o,u.length-1),l=h=>{h&&(e(),q(me(h.key)))},m=h=>{h.key==="ArrowDown"?(h.preventDefault(),s((p+1)%Math.max(1,u.length))):h.key==="ArrowUp"?(h.preventDefault(),s((p-1+u.length)%Math.max(1,u.length))):h.key==="Enter"&&(h.preventDefault(),l(u[p]))};return c`<${U} title="Go to chat" onClose=${e} class="switcher">
    <label class="sr-only" for="switcher-input">Chat name</label>
    <input
      id="switcher-input"
      ref=${a}
      type="text"
      role="combobox"
      aria-expanded="true"
      aria-controls="switcher-list"
      aria-autocomplete="list"
      aria-activedescendant=${u.length?"sw-"+p:void 0}
      autocomplete="off"
      placeholder="Type a name"
      value=${t}
      onInput=${h=>(n(h.target.value),s(0))}
      onKeyDown=${m}
    />
    <ul id="switcher-list" class="switcher-list" role="listbox" aria-label="Chats">
      ${u.map((h,d)=>c`<li id=${"sw-"+d} key=${h.key} role="option" aria-selected=${d===p?"true":"false"} onClick=${()=>l(h)} data-key=${h.key}>
          <${z} small name=${h.name} group=${h.group} />
          ${h.name}
        </li>`)}
      ${!u.length&&c`<li class="muted" role="option" aria-disabled="true" aria-selected="false">No chat matches.</li>`}
    </ul>
  </${U}>`}var ta=500,ut=null,Yo="";function Vo(){return f.boot="setup",f.setup=null,v(),new Promise(e=>{ut=e,Jo()})}function Ko(){let e=ut;ut=null,e&&e()}async function Jo(){if(ut){try{f.setup=await M("/v1/setup"),f.setupDown=""}catch(e){f.setupDown=e.message}if(v(),f.setup&&f.setup.state==="ready"){Ko();return}setTimeout(Jo,ta)}}var Qo=e=>(e||0).toLocaleString("en-US");function na({failed:e,onLink:t}){let[n,o]=g(!1),[s,a]=g("");return c`<div class="setup-choice">
    <button type="button" class="btn primary create-account" disabled=${n} onClick=${async()=>{o(!0),a("");try{await I("/v1/setup/create"),f.setup={state:"creating"},v()}catch(r){a(r.message)}o(!1)}}>Create a new account</button>
    <button type="button" class="btn link-account" disabled=${n} onClick=${t}>Link to an account I already have</button>
    ${(s||e)&&c`<p class="error-text setup-error" role="alert">${s||e.error}</p>`}
  </div>`}function oa({failed:e,onBack:t}){let[n,o]=g(""),[s,a]=g(Yo),[i,r]=g(!1),[u,p]=g(""),l=async h=>{h.preventDefault(),r(!0),p("");try{await I("/v1/setup/link",{code:n.trim(),name:s.trim()}),f.setup={state:"linking"},v()}catch(d){p(d.message)}r(!1)},m=u||e&&e.error;return c`<form class="setup-link" onSubmit=${l}>
    <p>On the device that has your account, open Settings › Devices › <strong>Link a device</strong> (or run <code>pigeon devices link</code>), then paste its code here.</p>
    <label class="field">
      <span>Link code</span>
      <textarea class="mono link-code link-code-input" rows="4" spellcheck="false" placeholder="pigeon-link:…" value=${n} onInput=${h=>o(h.target.value)}></textarea>
    </label>
    <${ge} onText=${o} />
    <label class="field">
      <span>Name of this device (optional)</span>
      <input type="text" class="device-name-input" maxlength="64" placeholder="this computer's name" value=${s} onInput=${h=>a(Yo=h.target.value)} />
    </label>
    ${m&&c`<p class="error-text setup-error" role="alert" data-code=${u?"":e.code}>${m}</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${t}>Back</button>
      <button type="submit" class="btn primary" disabled=${i||!n.trim()}>Link this device</button>
    </div>
  </form>`}function Xo(){let e=b(a=>a.setup),t=b(a=>a.setupDown),[n,o]=g(""),s;if(!e)s=c`<p class="muted">Asking the daemon…</p>`;else if(e.state==="creating")s=c`<p role="status">Creating your account…</p>`;else if(e.state==="linking")s=e.sas?c`<p>Check that your other device shows this code, and confirm there:</p>
          <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
          <p class="muted">If it shows other digits, cancel there: someone else has your link code.</p>`:c`<p role="status">Asking your other device…</p>`;else if(e.state==="syncing"||e.state==="ready"){let a=e.history||{};s=c`<p>This device is linked to your account.</p>
      <p class="setup-history" role="status">${a.error?"Getting your history stopped ("+a.error+"); it goes on when the devices meet again.":"Getting your history: "+Qo(a.done)+" of "+Qo(a.total)}</p>
      <progress max=${a.total||1} value=${a.done||0}></progress>
      <button type="button" class="btn open-app" onClick=${Ko}>Open Pigeon now</button>`}else n==="link"||n===""&&e.error&&e.error.code!=="internal"?s=c`<${oa} failed=${e.error} onBack=${()=>o("choice")} />`:s=c`<p>This device has no Pigeon account yet.</p><${na} failed=${e.error} onLink=${()=>o("link")} />`;return c`<main class="signin setup" aria-labelledby="setup-title" data-state=${e?e.state:""}>
    <h1 id="setup-title">Set up Pigeon</h1>
    ${s}
    ${t&&c`<p class="error-text" role="alert">${t}</p>`}
  </main>`}function sa(){return c`<main class="signin" aria-labelledby="signin-title">
    <h1 id="signin-title">Sign in to Pigeon</h1>
    <p>This browser is not signed in to your Pigeon node (or its session ended).</p>
    <p>In a terminal on this computer, run <code>pigeon web</code>: it prints a one-time login link and opens it in your browser.</p>
    <p class="muted">The link works once, for 10 minutes. The session then lasts 30 days from its last use.</p>
  </main>`}function aa(){let e=b(t=>t.toasts);return c`<div class="toasts" role="status" aria-live="polite">
    ${e.map(t=>c`<div key=${t.id} class=${"toast "+t.kind} role=${t.kind==="error"?"alert":void 0}>
        <span class="grow">${t.text}</span>
        <button type="button" aria-label="Dismiss" onClick=${()=>Ot(t.id)}><${$} name="close" /></button>
      </div>`)}
  </div>`}function ia(){return c`<main class="pane empty-pane" id="main">
    <div class="card">
      <h2>Pigeon</h2>
      <p>Pick a chat on the left, or press <kbd>Ctrl</kbd>+<kbd>K</kbd> to jump to one.</p>
      <p class="muted">Messages are end-to-end encrypted and stored on your own node.</p>
    </div>
  </main>`}function ra(){let e=b(r=>r.boot),t=b(r=>r.storageFull),n=uo(),[o,s]=g("");if(D(()=>{n.name==="chat"?Ft(n.key):Kn()},[n.name,n.key,e]),D(()=>{let r=u=>{(u.ctrlKey||u.metaKey)&&!u.altKey&&u.key.toLowerCase()==="k"&&(u.preventDefault(),s("switcher"))};return document.addEventListener("keydown",r),()=>document.removeEventListener("keydown",r)},[]),e==="signedout")return c`<${sa} />`;if(e==="setup")return c`<${Xo} />`;if(e==="error")return c`<main class="signin"><h1>Pigeon</h1><p class="error-text">${f.bootError}</p></main>`;let a=()=>s(""),i;if(n.name==="chat"){let r=c`<${Ao} key=${n.key} chatKey=${n.key} info=${n.info} />`,u=n.info&&(n.key.startsWith("g:")?c`<${Bo} id=${n.key.slice(2)} />`:c`<${Fo} account=${n.key.slice(2)} />`);i=c`<main class="pane" id="main">${u?c`<div class="with-drawer">${r}${u}</div>`:r}</main>`}else n.name==="contacts"?i=c`<${Oo} onAdd=${()=>s("contact")} />`:n.name==="me"?i=c`<${qo} />`:n.name==="settings"?i=c`<${Go} />`:i=c`<${ia} />`;return c`<div class=${"app"+(n.name!=="home"?" chat-open":"")} data-boot=${e}>
    <a class="skip" href="#main">Skip to conversation</a>
    <${ko}
      current=${n.key}
      onNewGroup=${()=>s("group")}
      onAddContact=${()=>s("contact")}
      onJoin=${()=>s("join")}
    />
    ${t&&c`<div class="banner" role="alert">The disk is nearly full: free some space to receive messages and files again.</div>`}
    ${i}
    ${o==="switcher"&&c`<${zo} onClose=${a} />`}
    ${o==="group"&&c`<${Wo} onClose=${a} />`}
    ${o==="contact"&&c`<${Eo} onClose=${a} />`}
    ${o==="join"&&c`<${Ho} onClose=${a} />`}
    <${vo} />
    <${aa} />
  </div>`}function ca(){let e=b(t=>t.conn);return D(()=>{document.body.dataset.conn=e},[e]),c`<${ra} />`}function la(){return new Promise(e=>document.hidden?e():requestAnimationFrame(()=>setTimeout(e)))}async function ua(){Rn(()=>{f.boot="signedout",v()});let e=M("/v1/info");e.catch(()=>{}),await la();let t=document.getElementById("app");t.textContent="",t.className="",$t(c`<${ca} />`,t);try{f.me=await e.catch(async n=>{if(n.code!=="not_set_up")throw n;return await Vo(),f.boot="loading",M("/v1/info")})}catch(n){n.status!==401&&(f.boot="error",f.bootError=n.message),v();return}v(),ct(),document.addEventListener("visibilitychange",()=>{Zn(document.visibilityState==="visible"),document.hidden||Qt()}),window.addEventListener("online",Qt),zn(mo)}en();ua();
