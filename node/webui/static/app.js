/* Pigeon web client, bundled from js/ (go generate). Includes Preact (MIT) and htm (Apache-2.0): vendor/LICENSE-preact.txt, vendor/LICENSE-htm.txt. */
var T,un,ss,ae,gt,Ge,pn,He,dn,yt,_t,as,Me=Symbol.for("pv"),ze={},Ye=[],rs=/^m(i|n|o|s|text|space)$/,$t=Array.isArray,vt=Ye.slice,fe=Object.assign;function de(e){e&&e.parentNode&&e.remove()}function fn(e,t,n){var o,a,s,r={},i=arguments.length;for(s in t)s=="key"?o=t[s]:s=="ref"&&typeof e!="function"?a=t[s]:r[s]=t[s];return i>2&&(r.children=i>3?vt.call(arguments,2):n),De(e,r,o,a,null)}function De(e,t,n,o,a){var s={type:e,props:t,key:n,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:Me,__v:a||++un,__i:-1,__u:0};return!a&&T.vnode&&T.vnode(s),s}function Te(e){return e.children}function re(e,t){this.props=e,this.context=t,this.__g=0}function ie(e,t){if(t==null)return e.__&&ie(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!="function"||e.props.__P?null:ie(e)}function is(e){var t,n=e.__v,o=n.__e,a=[],s=[],r=e.__P;r&&((t=fe({constructor:Me},n)).__v=n.__v+1,T.vnode&&T.vnode(t),bt(r,t,n,e.__n,r.namespaceURI,32&n.__u?[o]:null,a,o||ie(n),32&n.__u,s),t.__v=n.__v,t.__.__k[t.__i]=t,$n(a,t,s),n.__=n.__e=null,t.__e!=o&&mn(t))}function mn(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),mn(e)}function cn(e){(8&e.__g||(e.__g|=8,ae.push(e),Ge++))&&gt==T.debounceRendering||((gt=T.debounceRendering)||queueMicrotask)(hn)}function hn(){try{for(var e,t=1;ae.length;)ae.length>t&&ae.sort(pn),e=ae.shift(),t=ae.length,8&e.__g&&is(e)}finally{(Ge=ae.length)&&(gt||queueMicrotask)(hn)}}function gn(e,t,n,o,a,s,r,i,u,p,l){var m,h,d,y,_,w,k=o.__k||Ye,C=t.length;for(u=cs(n,t,k,u,C),m=0;m<C;m++)(d=n.__k[m])!=null&&(h=~d.__i&&k[d.__i]||ze,d.__i=m,w=bt(e,d,h,a,s,r,i,u,p,l),y=d.__e,(h.ref!=d.ref||8&h.__u)&&(h.ref&&wt(h.ref,null,d,h),d.ref&&l.push(d.ref,d.__c||y,d)),_=_||y,4&d.__u?(u=_n(d,u,e,!h.__v),h.__e&&(h.__e=null)):typeof d.type=="function"&&w!==void 0?u=w:y&&(u=y.nextSibling),d.__u&=-21);return n.__e=_,u}function cs(e,t,n,o,a){var s,r,i,u,p,l,m,h,d,y=n.length,_=y,w=0,k=0,C=e.__k=Array(a);for(s=0;s<a;s++)(r=t[s])!=null&&typeof r!="boolean"&&typeof r!="function"?(typeof r!="object"||r.constructor===String?r=C[s]=De(null,r):$t(r)?r=C[s]=De(Te,{children:r}):r.constructor===Me&&r.__b?r=C[s]=De(r.type,r.props,r.key,r.ref,r.__v):C[s]=r,u=s+w,r.__=e,r.__b=e.__b+1,i=null,~(p=r.__i=ls(r,n,u,_))&&(_--,(i=n[p])&&(i.__u|=2)),i&&i.__v?(r.__u|=16,p==u-1?w--:p==u+1?w++:p!=u&&(p>u?w--:w++,k=1)):(~p||(a>y?w--:a<y&&w++),typeof r.type!="function"&&(r.__u|=4))):C[s]=null;if(k){for(l=[],m=[],s=0;s<a;s++)if((r=C[s])&&16&r.__u){for(w=0,h=l.length;w<h;)l[d=w+h>>1]<r.__i?w=d+1:h=d;l[w]=r.__i,m[s]=w+1}for(w=l.length;s--;)m[s]&&(m[s]==w?w--:C[s].__u|=4)}if(_)for(s=0;s<y;s++)!(i=n[s])||2&i.__u||(i.__e==o&&(o=ie(i)),kt(i,i));return o}function _n(e,t,n,o){var a,s,r,i;if(typeof e.type=="function"){if(e.props.__P)return t;if(a=e.__k)for(s=0;s<a.length;s++)a[s]&&(a[s].__=e,t=_n(a[s],t,n,!1));return t}for(t&&!t.parentNode&&(t=ie(e))&&!t.parentNode&&(t=null),r=e.__e,i=t;i&&i.nodeType==8;)i=i.nextSibling;for(r!=i&&(!o&&n.moveBefore&&r.parentNode?n.moveBefore(r,t):n.insertBefore(r,t||null)),t=r;(t=t&&t.nextSibling)&&t.nodeType==8&&!t.data.startsWith("$s"););return t}function ls(e,t,n,o){var a,s=e.key,r=e.type,i=t[n],u=i&&!(2&i.__u);if(i===null&&s==null||u&&s==i.key&&r==i.type)return n;if(o>(u?1:0)){for(a=n-1;a>=0;a--)if((i=t[a])&&!(2&i.__u)&&s==i.key&&r==i.type)return a;for(a=n+1;a<t.length;a++)if((i=t[a])&&!(2&i.__u)&&s==i.key&&r==i.type)return a}return-1}function ln(e,t,n){n==null&&(n=""),t[0]=="-"?e.setProperty(t,n):e[t]=n}function We(e,t,n,o,a){var s,r;if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof o=="string"&&(e.style.cssText=o=""),o)for(t in o)n&&t in n||ln(e.style,t);if(n)for(t in n)o&&n[t]==o[t]||ln(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")typeof n!="function"&&(n=null),typeof o!="function"&&(o=null),(e.__e||(e.__e={}))[t]=n,n&&o||(r=_t[t]||(_t[t]=us(t)),(e.__a||(e.__a={}))[t]=yt,s=t!=(t=t.replace(dn,"$1")),(t=t.slice(2))[0]<"a"&&(t=t.toLowerCase()),n?e.addEventListener(t,r,s):e.removeEventListener(t,r,s));else{if(a=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{return void(e[t]=n??"")}catch{}if(typeof n=="function")return;n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n)}}function us(e){return function(t){var n=this.__e;if(n){if(n=n[e],t[He]==null)t[He]=yt++;else if(t[He]<this.__a[e])return;return n(T.event?T.event(t):t)}}}function bt(e,t,n,o,a,s,r,i,u,p){var l,m,h,d,y,_,w,k,C,N,I,oe,je,$e,S,rn,se,pe,J=t.type;if(t.constructor!==Me)return null;128&n.__u&&(u=32&n.__u,l=n.__c.__z)&&(t.__u|=u,m=s=[],l.nodeType==8?i=Be(l,s):s.push(l),i=s[0]||i),(l=T.__b)&&l(t);e:if(typeof J=="function"){h=r.length;try{if(k=t.props,C=(l=J.prototype)&&l.render,N=(l=J.contextType)&&o[l.__c],I=l?N?N.props.value:l.__:o,(d=n.__c)?(t.__c=d,2&d.__g&&(d.__g|=1)):(C?t.__c=d=new J(k,I):(t.__c=d=new re(k,I),d.constructor=J,d.render=ds),N&&N.sub(d),d.state||(d.state={}),d.__n=o,d.__g|=8,d.__h=[],d.__k=[]),C&&(d.__s||(d.__s=d.state),J.getDerivedStateFromProps&&(d.__s==d.state&&(d.__s=fe({},d.__s)),fe(d.__s,J.getDerivedStateFromProps(k,d.__s)))),y=d.props,_=d.state,d.__v=t,n.__c){if(k!==y&&C&&!J.getDerivedStateFromProps&&d.componentWillReceiveProps&&d.componentWillReceiveProps(k,I),t.__v==n.__v&&!(8&d.__g)||!(4&d.__g)&&d.shouldComponentUpdate&&d.shouldComponentUpdate(k,d.__s,I)===!1){t.__v!=n.__v&&(d.props=k,d.state=d.__s,d.__g&=-9),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(G){G&&(G.__=t)}),Ye.push.apply(d.__h,d.__k),d.__k=[],d.__h.length&&r.push(d),i=ie(n);break e}d.componentWillUpdate&&d.componentWillUpdate(k,d.__s,I),C&&d.componentDidUpdate&&d.__h.push(function(){d.componentDidUpdate(y,_,w)})}else C&&!J.getDerivedStateFromProps&&d.componentWillMount&&d.componentWillMount(),C&&d.componentDidMount&&d.__h.push(d.componentDidMount);d.context=I,d.props=k,d.__P=e,d.__g&=-5,oe=T.__r,je=C?25:0;do d.__g&=-9,oe&&oe(t),l=d.render(d.props,d.state=d.__s,d.context);while(8&d.__g&&++je<25);C&&(Ye.push.apply(d.__h,d.__k),d.__k=[]),d.state=d.__s,d.getChildContext&&(o=fe({},o,d.getChildContext())),C&&n.__c&&d.getSnapshotBeforeUpdate&&(w=d.getSnapshotBeforeUpdate(y,_)),$e=l&&l.type===Te&&l.key==null?l.props.children:l,k.__P&&(l=i,a=(e=k.__P).namespaceURI,u=s=null,n.props&&n.props.__P!=e&&(n.__k.some(function(G){G&&kt(G,G)}),n.__k=null),i=n.__k?ie(n,0):null),i=gn(e,$t($e)?$e:[$e],t,n,o,a,s,r,i,u,p),k.__P&&(t.__e=null,i=l),t.__u&=-161,m&&m.some(de),d.__h.length&&r.push(d),1&d.__g&&(d.__g&=-4)}catch(G){if(r.length=h,t.__v=null,u||s)if(G&&G.then){if(t.__u|=128|u,s){for(~(se=s.indexOf(i||void 0))||(se=s.length);(pe=s[se-1])&&pe.nodeType==8;)se--;for(;se<s.length;se++)if(pe=s[se])if(s[se]=null,S){if(pe==rn)break}else{if(pe.nodeType!=8)break;pe.data.startsWith("$s")&&(rn=Be(S=pe))}}if(!S){for(;i&&i.nodeType==8&&i.nextSibling;)i=i.nextSibling;S=i}(l=Be(S=t.__c.__z||(t.__c.__z=S)))?(t.__e=S,i=l):t.__e=i,i=i&&i.nextSibling}else s&&s.some(de);else t.__e=n.__e;t.__k||(t.__k=n.__k||[]),G&&G.then||yn(t),T.__e(G,t,n)}}else i=t.__e=ps(n.__e,t,n,o,a,s,r,u,p,e);return(l=T.diffed)&&l(t),i}function Be(e,t){if(e&&e.nodeType==8&&e.data.startsWith("$s"))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith("$s"))n++;else if(e.data.startsWith("/$s")&&!--n)return e}t&&t.push(e)}}function yn(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(yn))}function $n(e,t,n){for(var o=0;o<n.length;)wt(n[o++],n[o++],n[o++]);T.__c&&T.__c(t,e),e.some(function(a){try{e=a.__h,a.__h=[],e.some(function(s){s.call(a)})}catch(s){T.__e(s,a.__v)}})}function ps(e,t,n,o,a,s,r,i,u,p){var l,m,h,d,y,_,w,k,C=n.props||ze,N=t.props,I=t.type;if(I=="svg"?a="http://www.w3.org/2000/svg":I=="math"?a="http://www.w3.org/1998/Math/MathML":a||(a="http://www.w3.org/1999/xhtml"),s){for(l=0;l<s.length;l++)if((y=s[l])&&(I?y.localName==I:y.nodeType==3)){e=y,s[l]=null;break}}if(!e){if(k=p.ownerDocument||document,!I)return k.createTextNode(N);e=k.createElementNS(a,I,N.is?N:p),i&&(T.__m&&T.__m(t,s),i=!1),s=null}if(I){if(p=I=="template"&&e.content||e,s=I=="textarea"&&N.defaultValue!=null?null:s&&vt.call(p.childNodes),!i&&s)for(C={},l=0;l<e.attributes.length;l++)C[(y=e.attributes[l]).name]=y.value;for(l in C)y=C[l],l=="dangerouslySetInnerHTML"?h=y:l=="children"||l in N||l=="value"&&"defaultValue"in N||l=="checked"&&"defaultChecked"in N||We(e,l,null,y,a);for(l in N)y=N[l],l=="children"?d=y:l=="dangerouslySetInnerHTML"?m=y:l=="value"?_=y:l=="checked"?w=y:i&&typeof y!="function"||C[l]===y||We(e,l,y,C[l],a);m?(i||h&&(m.__html==h.__html||m.__html==e.innerHTML)||(e.innerHTML=m.__html),t.__k=[]):(h&&(e.textContent=""),(I=="foreignObject"||a=="http://www.w3.org/1998/Math/MathML"&&rs.test(I))&&(a="http://www.w3.org/1999/xhtml"),gn(p,$t(d)?d:[d],t,n,o,a,s,r,s?s[0]:n.__k&&ie(n,0),i,u),s&&s.some(de)),i&&I!="textarea"||(l="value",I=="progress"&&_==null?e.removeAttribute(l):_==null||_===e[l]&&(I!="progress"||_)||We(e,l,_,C[l],a),l="checked",w!=null&&w!=e[l]&&We(e,l,w,C[l],a))}else C===N||i&&e.data==N||(e.data=N);return e}function wt(e,t,n,o){try{typeof e=="function"?t?t.__x=e(t)||1:o&&(o=o.__c||o.__e)&&(t=o.__x)&&(o.__x=null,typeof t=="function"?t():e(null)):e.current=t}catch(a){T.__e(a,n)}}function kt(e,t,n){var o,a,s,r;if(T.unmount&&T.unmount(e),!(o=e.ref)||o.current&&o.current!=e.__e||wt(o,null,t,e),o=e.__c){if(o.componentWillUnmount)try{o.componentWillUnmount()}catch(i){T.__e(i,t)}o.__P=o.__n=null}if(o=e.__k)for(r=0;r<o.length;r++)o[r]&&kt(o[r],t,typeof e.type!="function"||n&&!e.props.__P);!n&&(o=e.__c)&&(o=o.__z)&&(a=Be(o,s=[]))&&(o==e.__e&&s.some(de),de(a),de(o)),n||de(e.__e),e.__e=e.__c=e.__=null}function ds(e,t,n){return this.constructor(e,n)}function xt(e,t){var n,o,a,s;T.__&&T.__(e,t),t.nodeType==9&&(t=t.documentElement),o=(n=e&&32&e.__u)?null:t.__k,t.__k=De(Te,{children:[e]}),a=[],s=[],bt(t,t.__k,o||ze,ze,t.namespaceURI,o?null:t.firstChild?vt.call(t.childNodes):null,a,o?o.__e:t.firstChild,n,s),$n(a,t.__k,s),t.__k.props.children=null}T={__e:function(e,t,n,o){for(var a,s,r;t=t.__;)if((a=t.__c)&&!(1&a.__g)){a.__g|=4;try{if((r=(s=a.constructor)&&s.getDerivedStateFromError)&&a.setState(s.getDerivedStateFromError(e)),a.componentDidCatch&&(a.componentDidCatch(e,o||{}),r=1),r&&8&a.__g)return void(a.__g|=2)}catch(i){e=i}}throw Ge=0,e}},un=0,ss=function(e){return e!=null&&e.constructor===Me},re.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=fe({},this.state)),typeof e=="function"&&(e=e(fe({},n),this.props)),e&&(fe(n,e),this.__v&&(t&&this.__k.push(t),cn(this)))},re.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),cn(this))},re.prototype.render=Te,ae=[],Ge=0,pn=function(e,t){return e.__v.__b-t.__v.__b},He=Symbol(),dn=/(PointerCapture)$|Capture$/i,yt=0,_t={},as=0;var bn=function(e,t,n,o){var a;t[0]=0;for(var s=1;s<t.length;s++){var r=t[s++],i=t[s]?(t[0]|=r?1:2,n[t[s++]]):t[++s];r===3?o[0]=i:r===4?o[1]=Object.assign(o[1]||{},i):r===5?(o[1]=o[1]||{})[t[++s]]=i:r===6?o[1][t[++s]]+=i+"":r?(a=e.apply(i,bn(e,i,n,["",null])),o.push(a),i[0]?t[0]|=2:(t[s-2]=0,t[s]=a)):o.push(i)}return o},vn=new Map;function wn(e){var t=vn.get(this);return t||(t=new Map,vn.set(this,t)),(t=bn(this,t.get(e)||(t.set(e,t=(function(n){for(var o,a,s=1,r="",i="",u=[0],p=function(h){s===1&&(h||(r=r.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?u.push(0,h,r):s===3&&(h||r)?(u.push(3,h,r),s=2):s===2&&r==="..."&&h?u.push(4,h,0):s===2&&r&&!h?u.push(5,0,!0,r):s>=5&&((r||!h&&s===5)&&(u.push(s,0,r,a),s=6),h&&(u.push(s,h,0,a),s=6)),r=""},l=0;l<n.length;l++){l&&(s===1&&p(),p(l));for(var m=0;m<n[l].length;m++)o=n[l][m],s===1?o==="<"?(p(),u=[u],s=3):r+=o:s===4?r==="--"&&o===">"?(s=1,r=""):r=o+r[0]:i?o===i?i="":r+=o:o==='"'||o==="'"?i=o:o===">"?(p(),s=1):s&&(o==="="?(s=5,a=r,r=""):o==="/"&&(s<5||n[l][m+1]===">")?(p(),s===3&&(u=u[0]),s=u,(u=u[0]).push(2,0,s),s=0):o===" "||o==="	"||o===`
`||o==="\r"?(p(),s=2):r+=o),s===3&&r==="!--"&&(s=4,u=u[0])}return p(),u})(e)),t),arguments,[])).length>1?t:t[0]}var ve,A,Ct,kn,St=Object.is,Re=0,Pn=[],Dt=[],L=T,xn=L.__b,Cn=L.__r,Sn=L.diffed,Dn=L.__c,Mn=L.unmount,Tn=L.__;function Ke(e,t){L.__h&&L.__h(A,e,Re||t),Re=0;var n=A.__H||(A.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function g(e){return Re=1,Qe(Ln,e)}function Qe(e,t,n){var o=Ke(ve++,2);if(o.t=e,!o.__c&&(o.__=[n?n(t):Ln(void 0,t),function(s){var r=(o.__N||o.__)[0],i=o.t(r,s);St(r,i)||(o.__N=[i,o.__[1]],o.__c.setState({}))}],o.__c=A,!A.__f)){A.__f=!0;var a=A.shouldComponentUpdate;A.shouldComponentUpdate=function(s,r,i){var u=this.__H;if(!u)return!0;var p=!1,l=this.props!=s;if(u.__.some(function(h){h.__N&&(p=!0,St(h.__[0],h.__N[0])||(l=!0))}),a){var m=a.call(this,s,r,i);return p?m||l:m}return!p||l}}return o.__}function D(e,t){var n=Ke(ve++,3);!L.__s&&It(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,A.__H.__h.push(n))}function Pe(e,t){var n=Ke(ve++,4);!L.__s&&It(n.__H,t)&&(n.__P=!1,n.__=e,n.u=t,A.__h.push(n))}function q(e){return Re=5,Tt(function(){return{current:e}},[])}function Tt(e,t){var n=Ke(ve++,7);return It(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function Ve(e,t){return Re=8,Tt(function(){return e},t)}function fs(){var e;do{for(;e=Dt.shift();)try{Ie(e)}catch(n){L.__e(n,{__:(e=e.__P)&&e.__v})}for(;e=Pn.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(Ie),t.__h.some(Mt),t.__h=[]}catch(n){t.__h=[],L.__e(n,e.__v)}}}while(Dt.length)}L.__b=function(e){A=null,xn&&xn(e)},L.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),Tn&&Tn(e,t)},L.__r=function(e){Cn&&Cn(e),ve=0;var t=(A=e.__c).__H;t&&(Ct==A?A.__h=[]:(t.__h.some(Ie),t.__h.some(Mt),ve=0),t.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})),Ct=A},L.diffed=function(e){Sn&&Sn(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&Rn(Pn.push(t)),t.__H.__.some(function(n){n.u&&(n.__H=n.u)})),Ct=A=null},L.__c=function(e,t){t.some(function(n){try{n.__h.some(Ie),n.__h=n.__h.filter(function(o){return!o.__||Mt(o)})}catch(o){n.__h=[function(){throw o}]}}),Dn&&Dn(e,t)},L.unmount=function(e){Mn&&Mn(e);var t,n,o=e.__c;o&&o.__H&&(o.__H.__.some(function(a){try{if(a.__P&&a.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n=n&&n.__c}a.__P=n,Rn(Dt.push(a))}else Ie(a)}catch(s){t=s}}),o.__H=void 0,t&&L.__e(t,o.__v))};var In=typeof requestAnimationFrame=="function";function ms(e){var t,n=function(){clearTimeout(o),In&&cancelAnimationFrame(t),setTimeout(e)},o=setTimeout(n,35);In&&(t=requestAnimationFrame(n))}function Rn(e){e!=1&&kn==L.requestAnimationFrame||((kn=L.requestAnimationFrame)||ms)(fs)}function Ie(e){var t=A,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),A=t}function Mt(e){var t=A;e.__c=e.__(),A=t}function It(e,t){return!e||e.length!=t.length||t.some(function(n,o){return!St(n,e[o])})}function Ln(e,t){return typeof t=="function"?t(e):t}var c=wn.bind(fn);function Nn(e){class t extends re{shouldComponentUpdate(o){let a=this.props;for(let s in a)if(a[s]!==o[s])return!0;for(let s in o)if(!(s in a))return!0;return!1}render(o){return e(o)}}return t.displayName=e.name,t}var X=class extends Error{constructor(t,n,o){super(o||"request failed ("+t+")"),this.status=t,this.code=n||""}},Rt=()=>{};function An(e){Rt=e}async function En(e){let t=null;try{t=await e.json()}catch{t=null}return e.status===401&&Rt(),new X(e.status,t&&t.code,t&&t.error)}async function ce(e,t,n){let o={method:e,headers:{},credentials:"same-origin"};n!==void 0&&(o.headers["Content-Type"]="application/json",o.body=JSON.stringify(n));let a;try{a=await fetch(t,o)}catch{throw new X(0,"network","the daemon does not answer: is `pigeon daemon` still running?")}if(!a.ok)throw await En(a);return a.status===204||a.status===202?null:(a.headers.get("Content-Type")||"").includes("json")?a.json():a.text()}var M=e=>ce("GET",e),R=(e,t)=>ce("POST",e,t),j=(e,t)=>ce("PUT",e,t),Pt=(e,t)=>ce("PATCH",e,t),K=e=>ce("DELETE",e),B=encodeURIComponent;function Lt(e,t,n){let o=e.slice(2),a=e.startsWith("g:")?"/v1/groups/"+o:"/v1/conversations/"+o,s="?limit="+n;return t&&(s+="&before="+t),a+"/messages"+s}function Un({key:e,file:t,caption:n,onProgress:o}){let a=new URLSearchParams;a.set(e.startsWith("g:")?"group":"to",e.slice(2)),t.name&&a.set("name",t.name),t.type&&a.set("mime",t.type),n&&a.set("caption",n);let s=new XMLHttpRequest;return{promise:new Promise((i,u)=>{s.open("POST","/v1/media?"+a.toString()),s.responseType="json",s.upload.onprogress=p=>o&&o(p.loaded,p.lengthComputable?p.total:t.size),s.onload=()=>{let p=s.response;if(s.status===201&&p&&p.id){i(p.id);return}s.status===401&&Rt(),u(new X(s.status,p&&p.code,p&&p.error))},s.onerror=()=>u(new X(0,"network","the upload was cut off: is the daemon still running?")),s.onabort=()=>u(new X(0,"aborted","upload cancelled")),s.send(t)}),abort:()=>s.abort()}}var be=e=>"/v1/media/"+e+"/content",Nt=e=>"/v1/media/"+e+"/thumbnail",me=e=>"/v1/qr.svg?text="+B(e);async function qn(e){let t=await fetch("/v1/qr/decode",{method:"POST",credentials:"same-origin",headers:{"Content-Type":e.type||"application/octet-stream"},body:e});if(!t.ok)throw await En(t);return(await t.json()).text}function At(e,t){let n=document.createElement("a");n.href=be(e),n.download=t||"",n.rel="noopener",document.body.append(n),n.click(),n.remove()}var he=e=>"p:"+e,we=e=>"g:"+e,le=e=>e.group?we(e.group):he(e.peer),Q=e=>(e.startsWith("g:")?"/group/":"/chat/")+e.slice(2),z=e=>e?e.slice(0,12)+"…":"",Et=new Intl.DateTimeFormat(void 0,{hour:"2-digit",minute:"2-digit"}),On=new Intl.DateTimeFormat(void 0,{weekday:"long"}),hs=new Intl.DateTimeFormat(void 0,{year:"numeric",month:"short",day:"numeric"}),gs=new Intl.DateTimeFormat(void 0,{month:"short",day:"numeric"}),Fn=e=>e?Date.parse(e):0,jn=e=>e?Et.format(new Date(e)):"";function Je(e){return new Date(e.getFullYear(),e.getMonth(),e.getDate()).getTime()}function Ut(e){let t=new Date(e);return t.getFullYear()*1e4+t.getMonth()*100+t.getDate()}function Le(e,t=Date.now()){let n=new Date(e),o=Math.round((Je(new Date(t))-Je(n))/864e5);return o===0?"Today":o===1?"Yesterday":o>1&&o<7?On.format(n):hs.format(n)}function Xe(e,t=Date.now()){if(!e)return"";let n=new Date(e),o=Math.round((Je(new Date(t))-Je(n))/864e5);return o===0?Et.format(n):o===1?"Yesterday":o>1&&o<7?On.format(n):gs.format(n)}function Ze(e,t=Date.now()){if(!e)return"";let n=Le(e,t),o=Et.format(new Date(e));return n==="Today"?"last seen today at "+o:n==="Yesterday"?"last seen yesterday at "+o:"last seen "+n+" at "+o}function Z(e){if(e==null)return"";if(e<1024)return e+" B";let t=["KB","MB","GB","TB"],n=e/1024,o=0;for(;n>=1024&&o<t.length-1;)n/=1024,o++;return(n<10?n.toFixed(1):Math.round(n))+" "+t[o]}var qt=(e,t)=>t>0?Math.min(100,Math.floor(e*100/t)):0,Wn=e=>(e||"?").trim().slice(0,1).toUpperCase()||"?";function W(...e){return e.filter(Boolean).join(" ")}var _s=/pgi[a-z2-7]{160}/,ys=/pg[a-z2-7]{58}(?![a-z2-7])/;function et(e){let t=(e||"").trim(),n=t.toLowerCase(),o=n.match(_s);if(o)return{kind:"invite",link:o[0]};let a=n.match(ys);if(!a)return null;let s="",r=t.indexOf("?");if(r>=0)try{s=new URLSearchParams(t.slice(r+1)).get("name")||""}catch{s=""}return{kind:"account",account:a[0],name:s}}function Hn(e,t){return"pigeon:"+e+(t?"?name="+encodeURIComponent(t):"")}var Bn=e=>(e||"").replace(/(\d{5})(?=\d)/g,"$1 ");var nt=50,f={boot:"loading",bootError:"",me:null,conn:"connecting",convs:[],contacts:new Map,groups:new Map,presence:new Map,typing:new Map,progress:new Map,uploads:[],chats:new Map,open:"",identity:new Map,storageFull:!1,autoDownload:null,devices:null,linkOffer:null,linkRequest:null,historySync:null,setup:null,setupDown:"",toasts:[],visible:document.visibilityState==="visible"},Ne=new Set,Ot=!1;function v(){Ot||(Ot=!0,queueMicrotask(()=>{Ot=!1;for(let e of Ne)e()}))}function Vn(e){return Ne.add(e),()=>Ne.delete(e)}function $s(e,t){if(Object.is(e,t))return!0;if(!e||!t||typeof e!="object"||typeof t!="object")return!1;let n=Object.keys(e);if(n.length!==Object.keys(t).length)return!1;for(let o of n)if(!Object.is(e[o],t[o]))return!1;return!0}function b(e){let[,t]=Qe(a=>a+1,0),n=q(null),o=e(f);return n.current={sel:e,val:o},Pe(()=>{let a=()=>{let s=n.current;$s(s.sel(f),s.val)||t()};return Ne.add(a),a(),()=>Ne.delete(a)},[]),o}var vs=0;function P(e,t="info"){let n=++vs;f.toasts=[...f.toasts,{id:n,text:e,kind:t}],v(),setTimeout(()=>Ht(n),t==="error"?8e3:4e3)}function Ht(e){f.toasts=f.toasts.filter(t=>t.id!==e),v()}function x(e){e instanceof X&&e.status===401||P(e&&e.message?e.message:String(e),"error")}function H(e){if(!e)return"";if(f.me&&e===f.me.account)return"You";let t=f.contacts.get(e);return t&&t.name||z(e)}function F(e){if(e.startsWith("g:")){let o=f.groups.get(e.slice(2));return o&&o.name||"Group "+e.slice(2,10)}let t=f.contacts.get(e.slice(2));if(t&&t.name)return t.name;let n=f.convs.find(o=>o.key===e);return n&&n.name||z(e.slice(2))}async function te(){let e=await M("/v1/contacts");f.contacts=new Map(e.map(t=>[t.account,t]));for(let t of e)if(t.identity_changed_at&&!f.identity.has(t.account)&&(f.identity=new Map(f.identity).set(t.account,{account:t.account,at:t.identity_changed_at})),!t.identity_changed_at&&f.identity.has(t.account)){let n=new Map(f.identity);n.delete(t.account),f.identity=n}v()}async function ot(){let e=await M("/v1/groups");f.groups=new Map(e.map(t=>[t.id,t])),v()}async function V(e){try{let t=await M("/v1/groups/"+e);f.groups=new Map(f.groups).set(e,t)}catch(t){if(t.status===404){let n=new Map(f.groups);n.delete(e),f.groups=n}else throw t}v()}function bs(e){return{key:e.group?we(e.group):he(e.peer),peer:e.peer||"",group:e.group||"",name:e.name||"",last:e.last,unread:e.unread}}var Jn=0,Xn=new Map;async function ue(){let e=Jn,n=(await M("/v1/conversations")).map(bs);for(let a of n)(Xn.get(a.key)||0)>e&&(a.unread=0);let o=new Set(n.map(a=>a.key));for(let a of f.groups.values()){let s=we(a.id);!o.has(s)&&a.status==="active"&&n.push({key:s,peer:"",group:a.id,name:a.name,last:null,unread:0})}f.convs=n,v();for(let a of n.slice(0,30))a.peer&&!f.presence.has(a.peer)&&Zn(a.peer)}var Gn=0;function ke(){clearTimeout(Gn),Gn=setTimeout(()=>ue().catch(()=>{}),300)}var Ft=new Set;async function Zn(e){if(!Ft.has(e)){Ft.add(e);try{let t=await M("/v1/presence/"+e);f.presence=new Map(f.presence).set(e,t),v()}catch{}finally{Ft.delete(e)}}}async function Bt(){f.autoDownload=await M("/v1/media-settings/auto-download"),v()}async function st(){await Promise.all([te(),ot(),Bt().catch(()=>{})]),await ue();let e=f.open;f.chats=new Map,f.boot="ready",v(),e&&await Gt(e)}function ws(e){return{key:e,msgs:[],ids:new Set,hasOlder:!0,loading:!1,ready:!1}}function ee(e){f.chats.set(e.key,e),v()}async function Gt(e){f.open=e,v();let t=f.chats.get(e);if(!t||!t.ready){t=ws(e),t.loading=!0,ee(t);try{let n=await M(Lt(e,"",nt)),o=f.chats.get(e),a=n.slice(),s=new Set(n.map(r=>r.id));for(let r of o.msgs)s.has(r.id)||(a.push(r),s.add(r.id));ee({...o,msgs:a,ids:s,hasOlder:n.length===nt,loading:!1,ready:!0})}catch(n){ee({...f.chats.get(e),loading:!1}),x(n)}}e.startsWith("p:")&&Zn(e.slice(2)),Ee(e)}function eo(){f.open="",v()}async function at(e){let t=f.chats.get(e);if(!t||!t.ready||t.loading||!t.hasOlder)return 0;ee({...t,loading:!0});try{let n=t.msgs.length?t.msgs[0].id:"",o=await M(Lt(e,n,nt)),a=f.chats.get(e),s=o.filter(r=>!a.ids.has(r.id));for(let r of s)a.ids.add(r.id);return ee({...a,msgs:s.concat(a.msgs),hasOlder:o.length===nt,loading:!1}),s.length}catch(n){return ee({...f.chats.get(e),loading:!1}),x(n),0}}var zn={pending:0,failed:0,sent:1,received:1,delivered:2,read:3};function Ae(e,{incoming:t=!1}={}){let n=le(e),o=f.chats.get(n);if(o&&!o.ids.has(e.id))o.ids.add(e.id),ee({...o,msgs:o.msgs.concat([e])});else if(o){let u=o.msgs.findLast(p=>p.id===e.id);u&&(zn[e.state]??0)>(zn[u.state]??0)&&xe(e.id,p=>({...p,state:e.state,pending:void 0}))}let a=f.convs.findIndex(u=>u.key===n),s=a>=0?f.convs[a]:null;if(s&&s.last&&s.last.id===e.id)return;let r=(s?s.unread:0)+(t&&!(f.open===n&&f.visible)?1:0),i={key:n,peer:e.peer||"",group:e.group||"",name:s&&s.name||e.peer_name||e.group_name||"",last:e,unread:r};f.convs=[i,...f.convs.filter(u=>u.key!==n)],v(),!s&&e.group&&!f.groups.has(e.group)&&V(e.group).catch(()=>{})}function xe(e,t){let n=!1;for(let a of f.chats.values()){if(!a.ids.has(e))continue;let s=a.msgs.findLastIndex(i=>i.id===e);if(s<0)continue;let r=a.msgs.slice();r[s]=t(r[s]),ee({...a,msgs:r}),n=!0}let o=f.convs.findIndex(a=>a.last&&a.last.id===e);if(o>=0){let a=f.convs.slice();a[o]={...a[o],last:t(a[o].last)},f.convs=a,n=!0}return n&&v(),n}var jt=new Set;async function to(e){for(let t of f.chats.values())if(t.ids.has(e))return;if(!jt.has(e)){jt.add(e);try{Ae(await M("/v1/messages/"+e))}catch{}finally{jt.delete(e)}}}var Wt=new Map,Yn=new Set;function Ee(e){if(!e||e!==f.open||!f.visible)return;let t=f.convs.find(r=>r.key===e),n=f.chats.get(e),o=n?n.msgs.filter(r=>r.direction==="in"&&r.state==="received").map(r=>r.id):[];if((!t||!t.unread)&&!o.length)return;if(Wt.has(e)){Yn.add(e);return}let a=new Set(o),s=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/read":"/v1/conversations/"+e.slice(2)+"/read";Wt.set(e,!0),R(s).then(()=>{Xn.set(e,++Jn),f.convs=f.convs.map(i=>i.key===e?{...i,unread:0}:i);let r=f.chats.get(e);r&&ee({...r,msgs:r.msgs.map(i=>a.has(i.id)&&i.state==="received"?{...i,state:"read"}:i)}),v()}).catch(x).finally(()=>{Wt.delete(e),Yn.delete(e)&&Ee(e)})}function no(e){f.visible=e,v(),e&&Ee(f.open)}async function oo(e,t){let n=e.slice(2),o=e.startsWith("g:")?await R("/v1/groups/"+n+"/messages",{text:t}):await R("/v1/messages",{to:n,text:t}),a=await M("/v1/messages/"+o.id);return Ae(a),a}var ks=0;async function so(e,t,n){let o=++ks,a=t.type.startsWith("image/")?URL.createObjectURL(t):"",s=Un({key:e,file:t,caption:n,onProgress:r=>{f.uploads=f.uploads.map(i=>i.uid===o?{...i,loaded:r}:i),v()}});f.uploads=[...f.uploads,{uid:o,key:e,name:t.name,size:t.size,loaded:0,error:"",abort:s.abort,preview:a}],v();try{let r=await s.promise,i=await M("/v1/messages/"+r);Ae(i),f.uploads=f.uploads.filter(u=>u.uid!==o)}catch(r){r.code==="aborted"?f.uploads=f.uploads.filter(i=>i.uid!==o):f.uploads=f.uploads.map(i=>i.uid===o?{...i,error:r.message}:i),r.code!=="aborted"&&x(r)}finally{a&&setTimeout(()=>URL.revokeObjectURL(a),6e4),v()}}function ao(e){f.uploads=f.uploads.filter(t=>t.uid!==e),v()}var tt=0,Kn=0;function rt(e,t){let n=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/typing":"/v1/conversations/"+e.slice(2)+"/typing";clearTimeout(Kn);let o=Date.now();if(t){if(Kn=setTimeout(()=>rt(e,!1),5e3),o-tt<3e3)return;tt=o}else{if(!tt)return;tt=0}R(n,{active:t}).catch(()=>{})}async function zt(e){try{await R("/v1/media/"+e+"/fetch"),xe(e,t=>t.media?{...t,media:{...t.media,state:"fetching",error:""}}:t)}catch(t){x(t)}}function ro(e){f.progress=new Map(f.progress).set(e.id,{phase:e.phase,done:e.done||0,total:e.total||0,direction:e.direction}),v()}function io(e){if(xe(e.id,t=>t.media?{...t,media:{...t.media,state:e.state,error:e.error||"",retry_until:e.retry_until||""}}:t),e.state!=="fetching"&&f.progress.has(e.id)){let t=new Map(f.progress);t.delete(e.id),f.progress=t,v()}}var Qn=0;function co(){let e=Date.now(),t=1/0,n=!1,o=new Map;for(let[a,s]of f.typing){let r=new Map;for(let[i,u]of s)u>e?(r.set(i,u),t=Math.min(t,u)):n=!0;r.size&&o.set(a,r)}n&&(f.typing=o,v()),clearTimeout(Qn),t!==1/0&&(Qn=setTimeout(co,t-e+50))}function Yt(e,t,n,o){let a=new Map(f.typing),s=new Map(a.get(e)||[]);n?s.set(t,Fn(o)||Date.now()+6e3):s.delete(t),s.size?a.set(e,s):a.delete(e),f.typing=a,v(),co()}function lo(e){let t=f.presence.get(e.account)||{};f.presence=new Map(f.presence).set(e.account,{...t,account:e.account,state:e.state,last_seen:e.last_seen||t.last_seen}),v()}async function Kt(e,t){await j("/v1/contacts/"+B(e),t?{name:t}:{}),await te(),ke()}async function uo(e){await R("/v1/contacts/"+B(e)+"/verify");let t=new Map(f.identity);t.delete(e),f.identity=t,await te()}async function po(e,t,n){let o=await R("/v1/groups",{name:e,description:t,members:n});return f.groups=new Map(f.groups).set(o.id,o),await ue(),o}async function it(e){let t=await R("/v1/groups/join",{link:e});return await ot(),await ue(),t}var ct=new Set;function O(e,{replace:t=!1}={}){if(e!==location.pathname){t?history.replaceState(null,"",e):history.pushState(null,"",e);for(let n of ct)n()}}window.addEventListener("popstate",()=>{for(let e of ct)e()});function fo(e=location.pathname){let t=e.split("/").filter(Boolean),[n,o,a]=t;return(n==="chat"||n==="group")&&o?{name:"chat",key:(n==="group"?"g:":"p:")+o,info:a==="info"}:n==="contacts"||n==="me"||n==="settings"?{name:n}:{name:"home"}}function mo(){let[e,t]=g(()=>fo());return D(()=>{let n=()=>t(fo());return ct.add(n),()=>ct.delete(n)},[]),e}function E(e){if(e.defaultPrevented||e.button!==0||e.metaKey||e.ctrlKey||e.shiftKey||e.altKey)return;let t=e.currentTarget;e.preventDefault(),O(t.getAttribute("href"))}var Qt=()=>"Notification"in window,lt=()=>Qt()?Notification.permission:"unsupported";async function ut(){return Qt()?Notification.requestPermission():"unsupported"}function go(e){if(!document.hidden||!Qt()||Notification.permission!=="granted")return;let t=le(e),n=F(t),o=e.group?H(e.sender)+" in "+n:n,a=e.media?"📎 "+(e.text||e.media.name||"a file"):e.text;try{let s=new Notification(o,{body:a.slice(0,200),tag:t,icon:document.querySelector("link[rel=icon]").href});s.onclick=()=>{window.focus(),O(Q(t)),s.close()}}catch{}}var ho="";function _o(){let e=0;for(let n of f.convs)e+=n.unread||0;let t=e>0?"("+e+") Pigeon":"Pigeon";t!==ho&&(ho=t,document.title=t)}var $=({name:e,label:t,class:n})=>t?c`<span class=${W("icon","i-"+e,n)} role="img" aria-label=${t}></span>`:c`<span class=${W("icon","i-"+e,n)} aria-hidden="true"></span>`;function Y({name:e,online:t,small:n,group:o}){return c`<span class=${W("avatar",n&&"small")} aria-hidden="true">
    ${o?c`<${$} name="group" />`:Wn(e)}
    ${t&&c`<span class="dot"></span>`}
  </span>`}var xs=0;function U({title:e,onClose:t,children:n,actions:o,class:a,label:s}){let r=q(null),i=q("dlg"+ ++xs).current;return Pe(()=>{let u=r.current,p=document.activeElement;return u.open||u.showModal(),()=>{u.open&&u.close(),p&&p.focus&&document.contains(p)&&p.focus()}},[]),c`<dialog
    ref=${r}
    class=${a}
    aria-labelledby=${s?void 0:i}
    aria-label=${s}
    onCancel=${u=>{u.preventDefault(),t()}}
  >
    <header class="bar">
      <h2 id=${i}>${e}</h2>
      <button type="button" class="icon-btn" aria-label="Close" onClick=${t}><${$} name="close" /></button>
    </header>
    <div class="dialog-body">${n}</div>
    ${o&&c`<div class="dialog-actions">${o}</div>`}
  </dialog>`}function ge(){let e=q(null);return D(()=>{e.current&&e.current.focus()},[]),e}async function Ue(e){try{return await navigator.clipboard.writeText(e),!0}catch{return!1}}async function Ce(){f.devices=await M("/v1/devices"),v()}var pt=e=>(e||0).toLocaleString("en-US");function Cs(e){let t=f.devices&&f.devices.devices.find(n=>n.id===e);return t&&t.name||"device "+e}function yo(e){f.linkRequest=e,v()}function $o(e){f.linkOffer=null,f.linkRequest&&f.linkRequest.peer_id===e.peer_id&&(f.linkRequest=null),v(),P("Linked "+(e.name||"a new device")+". It is getting your history now."),Ce().catch(()=>{})}function vo(){Ce().catch(()=>{})}function bo(e){f.historySync=e,v()}function Ss(e){return e.this?"":e.online?"online":e.last_seen?Ze(e.last_seen):"not seen since it was linked"}function Ds(e,t){let n=Math.max(0,Math.round((Date.parse(e)-t)/1e3));return Math.floor(n/60)+":"+String(n%60).padStart(2,"0")}function Ms({offer:e,onAgain:t}){let[n,o]=g(Date.now());return D(()=>{let a=setInterval(()=>o(Date.now()),1e3);return()=>clearInterval(a)},[]),Date.parse(e.expires)<=n?c`<div class="link-offer expired">
      <p>The link code expired.</p>
      <button type="button" class="btn" onClick=${t}>Make a new code</button>
    </div>`:c`<div class="link-offer">
    <p>On the new device run <code>pigeon init --link CODE</code> with this code, or scan it. It works once; keep it to yourself.</p>
    <img class="qr" src=${me(e.qr_text)} alt="QR code of the link code" width="220" height="220" />
    <textarea class="mono link-code" readonly rows="4" aria-label="Link code" value=${e.code} onFocus=${a=>a.target.select()}></textarea>
    <p class="muted" data-expires=${e.expires}>Expires in ${Ds(e.expires,n)}</p>
    <button type="button" class="btn withdraw-link" onClick=${()=>Ts(e)}>Cancel</button>
  </div>`}async function Ts(e){try{await ce("DELETE","/v1/devices/link",{code:e.code})}catch(t){x(t)}f.linkOffer=null,v()}function Is({d:e,holdsKey:t}){let[n,o]=g(!1),[a,s]=g(e.name),r=async p=>{p.preventDefault();try{await j("/v1/devices/"+e.id,{name:a.trim()}),o(!1),await Ce()}catch(l){x(l)}},i=()=>{s(e.name),o(!0)},u=async()=>{if(confirm("Revoke "+(e.name||"device "+e.id)+"? It stops receiving your messages, and what it sends is no longer accepted. Link it again to use it."))try{await K("/v1/devices/"+e.id),P("Revoked "+(e.name||"device "+e.id)+"."),await Ce()}catch(p){x(p)}};return n?c`<li data-device=${e.id}>
      <form class="row grow" onSubmit=${r}>
        <input type="text" class="grow" aria-label="Device name" value=${a} maxlength="64" onInput=${p=>s(p.target.value)} />
        <button type="submit" class="btn" disabled=${!a.trim()}>Save</button>
        <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
      </form>
    </li>`:c`<li data-device=${e.id}>
    <span class="grow">
      <span class="device-name">${e.name||"Device "+e.id}</span>
      ${e.this&&c` <span class="role">this device</span>`}
      <div class="relay-stats">${[e.platform,Ss(e),"added "+Le(e.added_at).toLowerCase()].filter(Boolean).join(" · ")}</div>
    </span>
    <button type="button" class="btn" onClick=${i} aria-label=${"Rename "+(e.name||"device "+e.id)}>Rename</button>
    ${t&&!e.this&&c`<button type="button" class="btn danger" onClick=${u} aria-label=${"Revoke "+(e.name||"device "+e.id)}>Revoke</button>`}
  </li>`}function Rs(){let e=b(n=>n.historySync);if(b(n=>n.devices),!e)return null;let t=Cs(e.device);return e.error?c`<p class="history-sync error-text" role="status">Syncing history from ${t} stopped at ${pt(e.done)} (${e.error}); it goes on when the devices meet again.</p>`:(e.done||0)>=(e.total||0)?c`<p class="history-sync muted" role="status">History synced from ${t}: ${pt(e.total)} changes.</p>`:c`<p class="history-sync" role="status">Syncing history from ${t}: ${pt(e.done)} of ${pt(e.total)}</p>`}function wo(){let e=b(o=>o.devices),t=b(o=>o.linkOffer);D(()=>{Ce().catch(x);let o=setInterval(()=>Ce().catch(()=>{}),3e4);return()=>clearInterval(o)},[]);let n=async()=>{try{f.linkOffer=await R("/v1/devices/link"),v()}catch(o){x(o)}};return c`<div class="card devices">
    <h3>Devices</h3>
    <p class="muted">Your account on other devices: each gets your history and everything you send, receive and read.</p>
    <ul class="list">
      ${(e?e.devices:[]).map(o=>c`<${Is} key=${o.id+":"+o.name} d=${o} holdsKey=${e.holds_account_key} />`)}
    </ul>
    <${Rs} />
    ${e&&(e.holds_account_key?t?c`<${Ms} offer=${t} onAgain=${n} />`:c`<button type="button" class="btn link-device" onClick=${n}>Link a device</button>`:c`<p class="muted">This device does not hold the account key: link and revoke devices on the one that does.</p>`)}
  </div>`}function ko(){let e=b(n=>n.linkRequest);if(!e)return null;let t=async n=>{f.linkRequest=null,v();try{await R("/v1/devices/link-requests/"+e.id,{accept:n}),n||P("The device was not linked.")}catch(o){x(o)}};return c`<${U}
    title="Link a new device?"
    class="link-request"
    onClose=${()=>t(!1)}
    actions=${c`<button type="button" class="btn" onClick=${()=>t(!1)}>Cancel</button>
      <button type="button" class="btn primary confirm-link" onClick=${()=>t(!0)}>They match, link it</button>`}
  >
    <p><strong class="device-name">${e.name}</strong>${e.platform?" ("+e.platform+")":""} asks to join your account.</p>
    <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
    <p>Check that the new device shows the same six digits. If it does not, cancel: someone else has your link code.</p>
  <//>`}var ne=null,Jt="",qe=0,Vt=0,Xt=!1,Oe=250,xo=0,Co=Promise.resolve();function dt(){if(clearTimeout(xo),ne)return;Xt=!!Jt;let e=Xt?"?epoch="+encodeURIComponent(Jt)+"&after="+qe:"",t=location.protocol==="https:"?"wss:":"ws:",n=new WebSocket(t+"//"+location.host+"/v1/events"+e);ne=n,n.onmessage=o=>{let a;try{a=JSON.parse(o.data)}catch{return}Co=Co.then(()=>Ps(a)).catch(s=>console.error("pigeon: event",a.type,s))},n.onclose=()=>{ne===n&&(ne=null,f.conn="down",v(),xo=setTimeout(dt,Oe),Oe=Math.min(Oe*2,5e3))}}function Zt(){if(!(ne&&ne.readyState===WebSocket.OPEN)){if(ne){let e=ne;ne=null,e.onclose=null,e.close()}Oe=250,dt()}}async function Ps(e){if(e.type==="hello"){Jt=e.epoch||"",Vt=e.seq||0,f.conn="live",Oe=250,v(),Xt||(qe=Vt,await st());return}if(e.type==="reset"){qe=Vt,await st();return}if(typeof e.seq=="number"){if(e.seq<=qe)return;qe=e.seq}Ls(e)}function Ls(e){switch(e.type){case"message_received":{let t=e.message;if(!t)return;let n=t.direction==="in";Ae(t,{incoming:n}),n&&(go(t),Ee(le(t)),ke());return}case"message_state_changed":{xe(e.id,n=>({...n,state:e.state,pending:e.state==="pending"?n.pending:void 0}))||to(e.id);return}case"message_pending":{let t={code:e.code,reason:e.reason,attempts:e.attempts,next_attempt:e.next_attempt};for(let n of e.ids||[])xe(n,o=>o.state==="pending"?{...o,pending:t}:o);return}case"typing":Yt(he(e.from),e.from,e.active,e.until);return;case"group_typing":Yt(we(e.group),e.from,e.active,e.until);return;case"presence":lo(e);return;case"group_changed":V(e.group).then(()=>e.change==="created"||e.change==="member_added"||e.change==="member_joined"?ue():null).catch(()=>{});return;case"group_receipt":f.receiptTick=(f.receiptTick||0)+1,v();return;case"media_progress":ro(e);return;case"media_state":io(e);return;case"contact_changed":te().then(ke).catch(()=>{});return;case"identity_changed":f.identity=new Map(f.identity).set(e.account,e),v(),te().catch(()=>{});return;case"storage":f.storageFull=e.state==="full",v(),f.storageFull&&P("The disk is nearly full: Pigeon cannot store new messages or files until you free some space.","error");return;case"link_request":yo(e);return;case"device_linked":$o(e);return;case"device_revoked":vo(e);return;case"history_sync":bo(e);return;case"dropped":st().catch(()=>{}),ot().catch(()=>{});return}}var So=20,Ns=250;function As(e){let t=new TextEncoder().encode(e.text),n=new TextDecoder,o=[],a=0;for(let[s,r]of e.ranges||[]){if(s<a||r>t.length||s>r)break;s>a&&o.push({text:n.decode(t.subarray(a,s))}),o.push({text:n.decode(t.subarray(s,r)),mark:!0}),a=r}return a<t.length&&o.push({text:n.decode(t.subarray(a))}),o}function Es({h:e}){let t=e.message,n=le(t),o=t.group?t.group_name||F(n):t.peer_name||F(n),a=t.direction==="out"?"You":t.sender_name||H(t.sender);return c`<li>
    <a
      href=${Q(n)}
      class="search-hit"
      data-id=${t.id}
      onClick=${s=>{s.button!==0||s.metaKey||s.ctrlKey||s.shiftKey||s.altKey||(s.preventDefault(),Us(n,t.id))}}
    >
      <span class="top">
        <span class="name">${o}</span>
        <span class="time">${Xe(t.sent_at)}</span>
      </span>
      <span class="snippet">
        ${t.group||t.direction==="out"?a+": ":""}${e.snippet.field==="file_name"?"📎 ":""}
        ${As(e.snippet).map(s=>s.mark?c`<mark>${s.text}</mark>`:s.text)}
      </span>
    </a>
  </li>`}function Do(){let[e,t]=g(""),[n,o]=g(null),[a,s]=g(!1),r=q(0),i=e.trim();D(()=>{if(!i){o(null);return}let p=++r.current,l=setTimeout(async()=>{try{let m=await M("/v1/search?q="+B(i)+"&limit="+So);p===r.current&&o({q:i,hits:m.hits,next:m.next_cursor||""})}catch(m){if(p!==r.current)return;m.status===400?o({q:i,hits:[],next:"",error:m.message}):x(m)}},Ns);return()=>clearTimeout(l)},[i]);let u=async()=>{if(!(!n||!n.next||a)){s(!0);try{let p=await M("/v1/search?q="+B(n.q)+"&limit="+So+"&cursor="+B(n.next));o(l=>l&&l.q===n.q?{...l,hits:l.hits.concat(p.hits),next:p.next_cursor||""}:l)}catch(p){x(p)}finally{s(!1)}}};return c`<div class="msg-search" role="search">
    <label>
      <${$} name="search" />
      <span class="sr-only">Search messages</span>
      <input
        type="search"
        id="message-search"
        placeholder="Search messages"
        value=${e}
        onInput=${p=>t(p.target.value)}
        onKeyDown=${p=>p.key==="Escape"&&t("")}
      />
    </label>
    ${n&&c`<div class="search-results" aria-live="polite">
      ${n.error?c`<p class="hint" role="alert">${n.error}</p>`:n.hits.length?c`<ul aria-label="Search results">
              ${n.hits.map(p=>c`<${Es} key=${p.message.id} h=${p} />`)}
            </ul>`:c`<p class="hint">No message matches “${n.q}”.</p>`}
      ${n.next&&c`<button type="button" class=${W("btn","more")} disabled=${a} onClick=${u}>More results</button>`}
    </div>`}
  </div>`}var _e=null,Fe=null;function Us(e,t){_e={key:e,id:t},O(Q(e)),Fe&&Fe.scroller&&Fe.props.chat.key===e&&ft(Fe)}function ft(e){Fe=e;let t=e.props.chat;if(!_e||_e.key!==t.key||!e.scroller)return;let n=t.msgs,o=n.findIndex(i=>i.id===_e.id);if(o<0){if(!t.ready||t.loading)return;if(!t.hasOlder){_e=null;return}at(t.key);return}let{start:a,end:s}=e.state;if(o<a||o>=s){let i=Math.max(0,o-25);e.setState({start:i,end:Math.min(n.length,Math.max(o+25,i+50)),stick:!1});return}let r=e.scroller.querySelector('.msg[data-id="'+_e.id+'"]');r&&(_e=null,e.state.stick&&e.setState({stick:!1}),r.scrollIntoView({block:"center"}),r.classList.add("found"),setTimeout(()=>r.classList.remove("found"),2500))}function qs(e){let t=e.last;if(!t)return e.group?"No messages yet":"";let n="";return t.direction==="out"?n="You: ":t.group&&(n=(t.sender_name||H(t.sender))+": "),t.media?n+"📎 "+(t.text?t.text:t.media.name||"file"):n+t.text}function Os({c:e,current:t}){let n=e.name||F(e.key),o=b(i=>e.peer?i.presence.get(e.peer):null),a=b(i=>i.typing.has(e.key)),s=o&&o.state==="online",r=n+(e.unread?", "+e.unread+" unread":"")+(s?", online":"");return c`<li>
    <a
      href=${Q(e.key)}
      class=${W("chat-item",e.unread>0&&"unread")}
      aria-current=${t?"page":void 0}
      aria-label=${r}
      onClick=${E}
      data-key=${e.key}
    >
      <${Y} name=${n} group=${!!e.group} online=${s} />
      <span class="grow">
        <span class="top">
          <span class="name">${n}</span>
          <span class="time">${e.last?Xe(e.last.sent_at):""}</span>
        </span>
        <span class="bottom">
          <span class="preview">${a?c`<em>typing…</em>`:qs(e)}</span>
          ${e.unread>0&&c`<span class="badge" aria-hidden="true">${e.unread}</span>`}
        </span>
      </span>
    </a>
  </li>`}function Fs(){let[e,t]=g(lt()),[n,o]=g(localStorage.getItem("pigeon.notify-banner")==="no");return e!=="default"||n?null:c`<div class="banner">
    <span class="grow">Get notified of new messages while this tab is in the background.</span>
    <button type="button" class="btn" onClick=${async()=>t(await ut())}>Turn on</button>
    <button
      type="button"
      class="icon-btn"
      aria-label="Not now"
      onClick=${()=>{localStorage.setItem("pigeon.notify-banner","no"),o(!0)}}
    ><${$} name="close" /></button>
  </div>`}function Mo({current:e,onNewGroup:t,onAddContact:n,onJoin:o}){let a=b(m=>m.convs),s=b(m=>m.conn),r=b(m=>m.me),[i,u]=g(""),p=i.trim().toLowerCase(),l=p?a.filter(m=>(m.name||F(m.key)).toLowerCase().includes(p)||(m.peer||m.group).startsWith(p)):a;return c`<nav class="sidebar" aria-label="Chats">
    <header class="bar">
      <a href="/me" class="icon-btn" onClick=${E} aria-label="My account and QR code"><${Y} small name=${r?"Me":"?"} /></a>
      <h1 class="brand">Pigeon</h1>
      <button type="button" class="icon-btn" aria-label="New group" onClick=${t}><${$} name="group" /></button>
      <button type="button" class="icon-btn" aria-label="Add contact" onClick=${n}><${$} name="person-add" /></button>
      <button type="button" class="icon-btn" aria-label="Join a group by link" onClick=${o}><${$} name="link" /></button>
      <a href="/contacts" class="icon-btn" onClick=${E} aria-label="Contacts"><${$} name="people" /></a>
      <a href="/settings" class="icon-btn" onClick=${E} aria-label="Settings"><${$} name="gear" /></a>
    </header>
    ${s==="down"&&c`<div class="conn" role="status">Connection to the daemon lost; reconnecting…</div>`}
    <${Fs} />
    <${Do} />
    <div class="filter" role="search">
      <label>
        <${$} name="search" />
        <span class="sr-only">Filter chats</span>
        <input
          type="search"
          placeholder="Filter chats (Ctrl+K: go to any chat)"
          value=${i}
          onInput=${m=>u(m.target.value)}
          onKeyDown=${m=>{m.key==="Enter"&&p&&l.length&&(m.preventDefault(),O(Q(l[0].key)))}}
          id="chat-filter"
        />
      </label>
    </div>
    <ul class="chats" aria-label="Chat list">
      ${l.map(m=>c`<${Os} key=${m.key} c=${m} current=${m.key===e} />`)}
      ${!l.length&&c`<li class="hint">${p?"No chat matches “"+i+"”.":c`No chats yet. <a href="/contacts" onClick=${E}>Start one</a> with a contact, or add one by their account ID.`}</li>`}
    </ul>
  </nav>`}var Io={pending:"pending",sent:"sent",delivered:"delivered",read:"read",failed:"not sent"},js={pending:"clock",sent:"check",delivered:"check2",read:"check2",failed:"alert"};function en({state:e}){let t=js[e];return t?c`<span class=${W("icon","i-"+t,"tick","tick-"+e)} role="img" aria-label=${Io[e]} data-state=${e}></span>`:null}function Ro(e,t){if(!e||!t)return{width:240,height:180};let n=Math.min(1,300/e,320/t);return{width:Math.max(40,Math.round(e*n)),height:Math.max(40,Math.round(t*n))}}function To(e,t){switch(e.state){case"fetching":return t&&t.total?"downloading "+qt(t.done,t.total)+"%":"downloading…";case"retrying":return"waiting for the sender to come online…";case"failed":return"download failed"+(e.error?": "+e.error:"");case"removed":return"removed from this device";case"remote":return"not downloaded"}return""}function Po({prog:e,label:t}){return!e||!e.total?c`<progress aria-label=${t}></progress>`:c`<progress aria-label=${t} max=${e.total} value=${e.done}></progress>`}function Lo({media:e,prog:t}){let n=e.state==="local",o=e.state==="fetching"||e.state==="retrying",a=t&&t.direction==="download"?t:null;return c`<div class="file-card" data-media-state=${e.state}>
    <${$} name="doc" class="big" />
    <div class="grow">
      <div class="file-name" title=${e.name}>${e.name||"file"}</div>
      <div class="file-meta">${Z(e.size)}${e.mime?" · "+e.mime:""}${To(e,a)&&" · "+To(e,a)}</div>
      ${o&&c`<${Po} prog=${a} label=${"Downloading "+(e.name||"file")} />`}
    </div>
    ${n?c`<button type="button" class="icon-btn" aria-label=${"Save "+(e.name||"file")} onClick=${()=>At(e.id,e.name)}>
          <${$} name="download" />
        </button>`:!o&&c`<button type="button" class="icon-btn" aria-label=${"Download "+(e.name||"file")+", "+Z(e.size)} onClick=${()=>zt(e.id)}>
          <${$} name="download" />
        </button>`}
  </div>`}function Ws({media:e,prog:t,onOpen:n}){let o=e.state==="local",a=Ro(e.width,e.height),s=o?be(e.id):e.thumbnail?Nt(e.id):"";if(!s)return c`<${Lo} media=${e} prog=${t} />`;let r=e.state==="fetching"||e.state==="retrying";return c`<div>
    <button type="button" class=${W("media-img",!o&&"remote")} onClick=${n} aria-label=${"Open picture "+(e.name||"")}>
      <img src=${s} alt=${e.caption||e.name||"picture"} width=${a.width} height=${a.height} loading="lazy" decoding="async" />
    </button>
    ${!o&&c`<div class="row file-meta">
      ${r?c`<${Po} prog=${t} label=${"Downloading "+(e.name||"picture")} />`:c`<button type="button" class="btn" onClick=${()=>zt(e.id)}><${$} name="download" /> ${Z(e.size)}</button>`}
    </div>`}
  </div>`}function No({media:e,onClose:t}){return c`<${U} title=${e.name||"Picture"} onClose=${t} class="viewer">
    <div class="viewer-body">
      <img src=${be(e.id)} alt=${e.caption||e.name||"picture"} />
    </div>
    <div class="row">
      <button type="button" class="btn" onClick=${()=>At(e.id,e.name)}><${$} name="download" /> Save</button>
    </div>
  </${U}>`}function Hs({media:e,prog:t,onOpen:n}){let o=e.mime||"",a=e.state==="local";return o.startsWith("image/")?c`<${Ws} media=${e} prog=${t} onOpen=${n} />`:o.startsWith("video/")?c`<video
      class="media-video"
      controls
      preload=${a?"metadata":"none"}
      poster=${e.thumbnail?Nt(e.id):void 0}
      src=${be(e.id)}
      aria-label=${"Video "+(e.name||"")}
      width=${Ro(e.width,e.height).width}
    ></video>`:o.startsWith("audio/")?c`<audio class="media-audio" controls preload=${a?"metadata":"none"} src=${be(e.id)} aria-label=${"Audio "+(e.name||"")}></audio>`:c`<${Lo} media=${e} prog=${t} />`}function Ao({m:e,onClose:t}){let n=b(l=>l.receiptTick||0),o=b(l=>l.groups.get(e.group)),[a,s]=g(null),[r,i]=g("");D(()=>{M("/v1/groups/"+e.group+"/messages/"+e.id+"/receipts").then(l=>s(l.receipts||{})).catch(l=>i(l.message))},[n,e.id,e.group]);let u=o?o.members.filter(l=>!f.me||l.account!==f.me.account):[],p=new Set([...u.map(l=>l.account),...Object.keys(a||{})]);return c`<${U} title="Message info" onClose=${t}>
    <p class="text">${e.media?"📎 "+(e.media.name||"file")+(e.text?" — "+e.text:""):e.text}</p>
    ${r&&c`<p class="error-text">${r}</p>`}
    ${!a&&!r&&c`<p class="muted">Loading…</p>`}
    ${a&&c`<ul class="list receipts">
      ${[...p].map(l=>{let m=a[l]||"";return c`<li key=${l} data-account=${l} data-receipt=${m||"none"}>
          <span class="grow">${H(l)}</span>
          <span class="muted">${m==="read"?"Read":m==="delivered"?"Delivered":"Not yet delivered"}</span>
          <${en} state=${m==="read"?"read":m==="delivered"?"delivered":"sent"} />
        </li>`})}
    </ul>`}
  </${U}>`}var Eo=Nn(function({m:t,sender:n,prog:o,onOpen:a,onInfo:s}){let r=t.direction==="out";return c`<div class=${W("msg",r?"out":"in")} data-id=${t.id} data-state=${t.state}>
    <div class="bubble">
      ${n?c`<span class="sender">${n}</span>`:c`<span class="sr-only">${r?"You:":""}</span>`}
      ${t.media&&c`<${Hs} media=${t.media} prog=${o} onOpen=${()=>a(t.media)} />`}
      ${t.text&&c`<span class="text">${t.text}</span>`}
      <span class="meta">
        <time datetime=${t.sent_at}>${jn(t.sent_at)}</time>
        ${r&&(t.group?c`<button type="button" aria-label=${"Message info: "+(Io[t.state]||t.state)} onClick=${()=>s(t)}><${en} state=${t.state} /></button>`:c`<${en} state=${t.state} />`)}
      </span>
      ${r&&t.state==="pending"&&t.pending&&t.pending.reason&&c`<span class="why">${t.pending.reason}</span>`}
    </div>
  </div>`});function Uo({u:e,onCancel:t}){return c`<div class="msg out upload" data-upload=${e.name}>
    <div class="bubble">
      ${e.preview&&c`<img src=${e.preview} alt="" />`}
      <div class="file-name">${e.name}</div>
      <div class="file-meta">${e.error?c`<span class="error-text">${e.error}</span>`:"sending "+qt(e.loaded,e.size)+"% of "+Z(e.size)}</div>
      ${!e.error&&c`<progress aria-label=${"Sending "+e.name} max=${e.size||1} value=${e.loaded}></progress>`}
      <div class="row"><button type="button" class="btn" onClick=${t}>${e.error?"Dismiss":"Cancel"}</button></div>
    </div>
  </div>`}var Bs=0;function qo({chatKey:e,dropped:t}){let[n,o]=g(""),[a,s]=g([]),[r,i]=g(!1),u=q(null),p=q(null),l=_=>{let w=[..._].map(k=>({id:++Bs,file:k,preview:k.type.startsWith("image/")?URL.createObjectURL(k):""}));w.length&&s(k=>k.concat(w)),u.current&&u.current.focus()},m=_=>s(w=>w.filter(k=>(k.id===_&&k.preview&&URL.revokeObjectURL(k.preview),k.id!==_)));D(()=>{t&&t.length&&l(t)},[t]),D(()=>{u.current&&u.current.focus({preventScroll:!0})},[]),D(()=>{let _=u.current;_&&(_.style.height="auto",_.style.height=_.scrollHeight+2+"px")},[n]);let h=async()=>{let _=n.trim();if(r||!_&&!a.length)return;let w=a;if(o(""),s([]),rt(e,!1),w.length){w.forEach((k,C)=>{so(e,k.file,C===0?_:"").finally(()=>k.preview&&URL.revokeObjectURL(k.preview))});return}i(!0);try{await oo(e,_)}catch(k){o(_),x(k)}finally{i(!1),u.current&&u.current.focus()}},d=_=>{_.key==="Enter"&&!_.shiftKey&&!_.isComposing&&(_.preventDefault(),h())},y=_=>{let w=_.clipboardData&&_.clipboardData.files;w&&w.length&&(_.preventDefault(),l(w))};return c`<div class="composer-wrap">
    ${a.length>0&&c`<ul class="staged" aria-label="Files to send">
      ${a.map(_=>c`<li class="staged-item" key=${_.id}>
          ${_.preview?c`<img src=${_.preview} alt="" />`:c`<${$} name="doc" />`}
          <span class="grow">${_.file.name} <span class="muted">${Z(_.file.size)}</span></span>
          <button type="button" class="icon-btn" aria-label=${"Remove "+_.file.name} onClick=${()=>m(_.id)}><${$} name="close" /></button>
        </li>`)}
    </ul>`}
    <form
      class="composer"
      onSubmit=${_=>{_.preventDefault(),h()}}
    >
      <button type="button" class="icon-btn" aria-label="Attach files" onClick=${()=>p.current.click()}><${$} name="attach" /></button>
      <input ref=${p} type="file" multiple hidden aria-hidden="true" tabindex="-1" onChange=${_=>(l(_.target.files),_.target.value="")} />
      <label class="sr-only" for=${"composer-"+e}>${a.length?"Caption":"Message"}</label>
      <textarea
        id=${"composer-"+e}
        ref=${u}
        rows="1"
        placeholder=${a.length?"Add a caption":"Type a message"}
        value=${n}
        onInput=${_=>{o(_.target.value),_.target.value&&rt(e,!0)}}
        onKeyDown=${d}
        onPaste=${y}
        aria-describedby="composer-help"
      ></textarea>
      <span id="composer-help" class="sr-only">Enter sends, Shift+Enter starts a new line. Paste or drop files to attach them.</span>
      <button type="submit" class="icon-btn send" aria-label="Send" disabled=${r}><${$} name="send" /></button>
    </form>
  </div>`}var mt=200,Se=50,Oo=600,Gs=(e,t)=>e===t||e.length===t.length&&e.every((n,o)=>n===t[o]);function zs({chatKey:e}){let t=b(n=>{let o=n.chats.get(e);return o?{loading:o.loading,hasOlder:o.hasOlder,ready:o.ready,empty:!o.msgs.length}:{empty:!0}});return t.loading?c`<p class="older" role="status">Loading older messages…</p>`:t.hasOlder?c`<p class="older"> </p>`:c`<p class="older">${t.ready?t.empty?"No messages yet":"The beginning of this chat":""}</p>`}var tn=class extends re{constructor(t){super(t),this.state={msgs:null,start:0,end:0,stick:!0,wantUp:!1},this.scroller=null,this.raf=0,this.olderFrom=0,this.openMedia=n=>t.onOpenMedia(n),this.openInfo=n=>t.onInfo(n),this.onScroll=()=>{this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check())))},this.setRef=n=>this.scroller=n,this.jump=()=>{let n=this.props.chat.msgs.length;this.setState({start:Math.max(0,n-Se),end:n,stick:!0})}}static getDerivedStateFromProps(t,n){let o=t.chat.msgs;if(o===n.msgs)return null;let a=o.length;if(!n.msgs||!n.msgs.length||!a)return{msgs:o,start:Math.max(0,a-Se),end:a,stick:!0,wantUp:!1};let s=n.msgs[0].id,r=0;if(o[0].id!==s&&(r=o.findIndex(l=>l.id===s),r<0))return{msgs:o,start:Math.max(0,a-Se),end:a,stick:!0,wantUp:!1};let i=n.start+r,u=n.end+r,p=n.end===n.msgs.length;return n.wantUp&&r>0?(i=Math.max(0,i-Se),u=Math.min(u,i+mt)):p&&n.stick&&(u=a,i=Math.max(i,u-mt)),{msgs:o,start:i,end:u,wantUp:n.wantUp&&r===0}}shouldComponentUpdate(t,n){let o=this.props,a=this.state;return t.chat.msgs!==o.chat.msgs||t.group!==o.group||t.progress!==o.progress||!Gs(t.uploads,o.uploads)||n.msgs!==a.msgs||n.start!==a.start||n.end!==a.end||n.stick!==a.stick}getSnapshotBeforeUpdate(){let t=this.scroller;if(!t)return null;if(this.state.stick)return{stick:!0};let n=t.scrollTop;for(let o of t.querySelectorAll(".msg[data-id]"))if(o.offsetTop+o.offsetHeight>n)return{id:o.dataset.id,delta:o.offsetTop-n};return null}componentDidMount(){this.scroller.scrollTop=this.scroller.scrollHeight,this.check(),ft(this)}componentDidUpdate(t,n,o){let a=this.scroller;if(o&&o.stick)a.scrollTop=a.scrollHeight;else if(o&&o.id){let s=a.querySelector('.msg[data-id="'+o.id+'"]');s&&(a.scrollTop=s.offsetTop-o.delta)}this.olderFrom&&n.msgs!==this.state.msgs&&n.msgs&&this.state.msgs[0]!==n.msgs[0]&&(performance.measure("pigeon:older-page",{start:this.olderFrom,end:performance.now()}),this.olderFrom=0),this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check()))),ft(this)}componentWillUnmount(){cancelAnimationFrame(this.raf)}check(){let t=this.scroller;if(!t)return;let{chat:n}=this.props,{start:o,end:a}=this.state,s=n.msgs.length,r=t.scrollHeight-t.scrollTop-t.clientHeight,i=r<40&&a===s;if(i!==this.state.stick&&this.setState({stick:i}),t.scrollTop<Oo)if(o>0){let u=Math.max(0,o-Se);this.setState({start:u,end:Math.min(a,u+mt),stick:!1})}else n.hasOlder&&!n.loading&&!this.state.wantUp&&(this.olderFrom=performance.now(),at(n.key).then(u=>{u||(this.olderFrom=0,this.setState({wantUp:!1}))}),this.setState({wantUp:!0}));else if(r<Oo&&a<s){let u=Math.min(s,a+Se);this.setState({end:u,start:Math.max(o,u-mt)})}}render({chat:t,group:n,progress:o,uploads:a},{start:s,end:r,stick:i}){let u=t.msgs,p=[];s===0&&p.push(c`<${zs} key="older" chatKey=${t.key} />`);for(let l=s;l<r;l++){let m=u[l],h=l>0?u[l-1]:null,d=Ut(m.sent_at),y=!h||Ut(h.sent_at)!==d;y&&p.push(c`<div class="day" role="separator" key=${"d"+m.id}>${Le(m.sent_at)}</div>`);let _=n&&m.direction==="in"&&(y||h.sender!==m.sender||h.direction!=="in")?m.sender_name||H(m.sender):"",w=m.media?o.get(m.media.id):void 0;p.push(c`<${Eo} key=${m.id} m=${m} sender=${_} prog=${w} onOpen=${this.openMedia} onInfo=${this.openInfo} />`)}if(r===u.length)for(let l of a)p.push(c`<${Uo} key=${"u"+l.uid} u=${l} onCancel=${()=>l.error?ao(l.uid):l.abort()} />`);return c`<div
        class="messages"
        ref=${this.setRef}
        onScroll=${this.onScroll}
        tabindex="0"
        aria-label="Messages"
        data-start=${s}
        data-end=${r}
        data-total=${u.length}
      >
        ${p}
      </div>
      ${(!i||r<u.length)&&c`<button type="button" class="btn jump" onClick=${this.jump} aria-label="Jump to the latest message"><${$} name="down" /> Latest</button>`}`}};function Ys({chatKey:e,group:t,info:n}){let o=e.startsWith("g:"),a=e.slice(2),s=b(()=>F(e)),r=b(m=>o?null:m.presence.get(a)),i=b(m=>m.typing.get(e)),u="",p=!1;if(i&&i.size){p=!0;let m=[...i.keys()].map(H);u=o?m.join(", ")+(m.length>1?" are typing…":" is typing…"):"typing…"}else o?u=t?t.members.map(m=>f.me&&m.account===f.me.account?"You":m.name||H(m.account)).join(", "):"":r&&(u=r.state==="online"?"online":r.last_seen?Ze(r.last_seen):"");let l=(o?"/group/":"/chat/")+a+"/info";return c`<header class="bar">
    <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${E}><${$} name="back" /></a>
    <${Y} name=${s} group=${o} online=${r&&r.state==="online"} />
    <div class="title">
      <button type="button" onClick=${()=>O(n?l.slice(0,-5):l)} aria-label=${(n?"Hide":"Show")+" details of "+s}>
        <h2>${s}</h2>
        <span class=${W("subtitle",p&&"typing")} data-presence=${r?r.state:""}>${u}</span>
      </button>
    </div>
    <a href=${n?l.slice(0,-5):l} class="icon-btn" onClick=${E} aria-label=${o?"Group details":"Contact details"} aria-pressed=${n?"true":"false"}>
      <${$} name="info" />
    </a>
  </header>`}function Ks({chat:e}){let[t,n]=g(""),o=q("");return D(()=>{let a=e.msgs[e.msgs.length-1];if(!a||a.id===o.current)return;let s=!o.current;o.current=a.id,!s&&a.direction==="in"&&n((a.sender_name||H(a.sender))+": "+(a.text||(a.media?"a file":"")))},[e.msgs]),c`<div class="sr-only" aria-live="polite">${t}</div>`}function Fo({chatKey:e,info:t}){let n=e.startsWith("g:"),o=e.slice(2),a=b(S=>S.chats.get(e)),s=b(S=>n?S.groups.get(o):null),r=b(S=>S.progress),i=b(S=>S.uploads),u=b(S=>n?null:S.identity.get(o)),[p,l]=g(null),[m,h]=g(null),[d,y]=g(!1),[_,w]=g(null),k=Ve(S=>l(S),[]),C=Ve(S=>h(S),[]),N=i.filter(S=>S.key===e),I=!n||!s||s.status==="active"&&(s.settings.post!=="admins"||s.role==="owner"||s.role==="admin"),oe=n&&s&&s.status!=="active"?s.status==="left"?"You left this group.":"You were removed from this group.":I?"":"Only admins can send messages to this group.",je=S=>{oe||!S.dataTransfer||![...S.dataTransfer.types].includes("Files")||(S.preventDefault(),y(!0))},$e=S=>{y(!1),!(oe||!S.dataTransfer||!S.dataTransfer.files.length)&&(S.preventDefault(),w([...S.dataTransfer.files]))};return c`<section
    class="conversation"
    aria-label=${"Chat with "+F(e)}
    data-chat=${e}
    onDragOver=${je}
    onDragLeave=${S=>S.currentTarget===S.target&&y(!1)}
    onDrop=${$e}
  >
    <${Ys} chatKey=${e} group=${s} info=${t} />
    ${u&&c`<div class="banner" role="alert">
      <${$} name="shield" />
      <span class="grow">${F(e)}'s device keys changed (a reinstall, or someone in between). Compare your safety number with them before you trust new messages.</span>
      <a class="btn" href=${"/chat/"+o+"/info"} onClick=${E}>Compare</a>
    </div>`}
    ${a?c`<${tn} key=${e} chat=${a} group=${n} progress=${r} uploads=${N} onOpenMedia=${k} onInfo=${C} />`:c`<div class="messages"></div>`}
    <${Qs} chatKey=${e} />
    <${Ks} chat=${a||{msgs:[]}} />
    ${oe?c`<p class="readonly-note">${oe}</p>`:c`<${qo} key=${e} chatKey=${e} dropped=${_} />`}
    ${d&&c`<div class="drop-hint" aria-hidden="true">Drop files to send them</div>`}
    ${p&&c`<${No} media=${p} onClose=${()=>l(null)} />`}
    ${m&&c`<${Ao} m=${m} onClose=${()=>h(null)} />`}
  </section>`}function Qs({chatKey:e}){let t=b(o=>o.typing.get(e)),n=t?[...t.keys()].map(H):[];return c`<div class="typing-line" aria-live="polite" data-typing=${n.length?"yes":"no"}>
    ${n.length?e.startsWith("g:")?n.join(", ")+(n.length>1?" are typing…":" is typing…"):n[0]+" is typing…":""}
  </div>`}function ye({onText:e}){let[t,n]=g(!1),[o,a]=g(""),s=q(null),r=async(i,u)=>{try{let p=await qn(i);if(p)return n(!1),a(""),e(p),!0}catch(p){u||a(p.message||"No QR code found in that image.")}return!1};return D(()=>{let i=u=>{let p=u.clipboardData&&[...u.clipboardData.files].find(l=>l.type.startsWith("image/"));p&&(u.preventDefault(),r(p))};return document.addEventListener("paste",i),()=>document.removeEventListener("paste",i)},[]),c`<div class="scan">
    <div class="row">
      ${navigator.mediaDevices&&navigator.mediaDevices.getUserMedia&&c`<button type="button" class="btn" aria-pressed=${t?"true":"false"} onClick=${()=>n(!t)}>
        <${$} name="camera" /> ${t?"Stop camera":"Scan with camera"}
      </button>`}
      <button type="button" class="btn" onClick=${()=>s.current.click()}><${$} name="qr" /> QR code from an image</button>
      <input
        ref=${s}
        type="file"
        accept="image/png,image/jpeg"
        hidden
        aria-hidden="true"
        tabindex="-1"
        onChange=${i=>{let u=i.target.files[0];i.target.value="",u&&r(u)}}
      />
    </div>
    <p class="muted">You can also paste a screenshot of a QR code here.</p>
    ${t&&c`<${Vs} onFrame=${i=>r(i,!0)} onError=${i=>(a(i),n(!1))} />`}
    ${o&&c`<p class="error-text" role="alert">${o}</p>`}
  </div>`}function Vs({onFrame:e,onError:t}){let n=q(null);return D(()=>{let o=null,a=0,s=!1,r=document.createElement("canvas"),i=()=>{let u=n.current;if(!(s||!u)){if(u.videoWidth){r.width=u.videoWidth,r.height=u.videoHeight,r.getContext("2d").drawImage(u,0,0),r.toBlob(async p=>{p&&!s&&await e(p)&&(s=!0),s||(a=setTimeout(i,600))},"image/jpeg",.85);return}a=setTimeout(i,300)}};return navigator.mediaDevices.getUserMedia({video:{facingMode:"environment"}}).then(u=>{if(o=u,s)return u.getTracks().forEach(p=>p.stop());n.current.srcObject=u,n.current.play(),i()}).catch(()=>t("The camera is not available: allow it in the browser, or use an image of the code.")),()=>{s=!0,clearTimeout(a),o&&o.getTracks().forEach(u=>u.stop())}},[]),c`<div class="camera"><video ref=${n} muted playsinline aria-label="Camera"></video></div>`}function jo({onClose:e,initial:t}){let[n,o]=g(t||""),[a,s]=g(""),[r,i]=g(""),[u,p]=g(!1),l=ge(),m=et(n);D(()=>{m&&m.kind==="account"&&m.name&&!a&&s(m.name)},[n]);let h=async d=>{if(d.preventDefault(),!m){i("That is not an account ID (pg… 60 characters) or a contact link. Ask your contact for the one on their “My account” screen.");return}p(!0),i("");try{if(m.kind==="invite"){let y=await it(m.link);P(y.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),O("/group/"+y.group);return}await Kt(m.account,a.trim()),e(),O("/chat/"+m.account)}catch(y){i(y.message)}finally{p(!1)}};return c`<${U}
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
        <input type="text" name="name" value=${a} onInput=${d=>s(d.target.value)} />
      </label>`}
      ${r&&c`<p class="error-text" role="alert">${r}</p>`}
    </form>
    <${ye} onText=${d=>(o(d),i(""))} />
  </${U}>`}function Wo(){let e=b(a=>a.me),[t,n]=g(localStorage.getItem("pigeon.my-name")||"");if(!e)return null;let o=Hn(e.account,t.trim());return c`<div class="card my-account">
    <h3>My account</h3>
    <p class="muted">Others add you with this ID, this link or by scanning the code.</p>
    <p class="mono" data-account=${e.account}>${e.account}</p>
    <div class="row">
      <button type="button" class="btn" onClick=${async()=>P(await Ue(e.account)?"Account ID copied.":"Copy failed: select the ID and copy it.")}>
        <${$} name="copy" /> Copy ID
      </button>
      <button type="button" class="btn" onClick=${async()=>P(await Ue(o)?"Contact link copied.":"Copy failed.")}>
        <${$} name="link" /> Copy contact link
      </button>
    </div>
    <label class="field">
      <span>Name to suggest in your link (optional)</span>
      <input
        type="text"
        value=${t}
        onInput=${a=>{n(a.target.value),localStorage.setItem("pigeon.my-name",a.target.value)}}
      />
    </label>
    <img class="qr" src=${me(o)} alt=${"QR code of your contact link "+o} width="220" height="220" />
    <p class="muted">Device ${e.device} · peer ${z(e.peer_id)}</p>
  </div>`}function Ho({onAdd:e}){let n=[...b(o=>o.contacts).values()].sort((o,a)=>(o.name||o.account).localeCompare(a.name||a.account));return c`<section class="pane page" aria-labelledby="contacts-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${E}><${$} name="back" /></a>
      <h2 id="contacts-title">Contacts</h2>
      <button type="button" class="btn primary" onClick=${e}><${$} name="person-add" /> Add contact</button>
    </header>
    <div class="page-body">
      <div class="card">
        <ul class="list">
          ${n.map(o=>c`<li key=${o.account} data-account=${o.account}>
              <${Y} small name=${o.name} />
              <span class="grow">
                <strong>${o.name||z(o.account)}</strong>
                ${o.verified&&c` <span class="verified">✓ verified</span>`}
                ${o.identity_changed_at&&c` <span class="error-text">keys changed</span>`}
                <div class="mono muted">${o.account}</div>
              </span>
              <a class="btn" href=${"/chat/"+o.account} onClick=${E}><${$} name="chat" /> Message</a>
            </li>`)}
          ${!n.length&&c`<li class="muted">No contacts yet. Add one with their account ID, link or QR code.</li>`}
        </ul>
      </div>
      <${Wo} />
    </div>
  </section>`}function Bo(){return c`<section class="pane page" aria-labelledby="me-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${E}><${$} name="back" /></a>
      <h2 id="me-title">My account</h2>
    </header>
    <div class="page-body"><${Wo} /></div>
  </section>`}function Js({account:e}){let t=b(d=>d.contacts.get(e)),n=b(d=>d.identity.get(e)),[o,a]=g(""),[s,r]=g(""),[i,u]=g(!1),[p,l]=g(null);D(()=>{M("/v1/contacts/"+B(e)+"/safety-number").then(d=>a(d.safety_number)).catch(d=>r(d.message))},[e,t&&t.identity_changed_at,n]);let m=Bn(o).split(" ").filter(Boolean),h=async()=>{try{await uo(e),P("Marked as verified.")}catch(d){x(d)}};return c`<div class="section safety-number">
    <h3>Safety number</h3>
    ${(n||t&&t.identity_changed_at)&&c`<p class="banner" role="alert"><${$} name="shield" /> Their device keys changed${t&&t.verified?" since you verified it":""} (a reinstall, or someone in between). Compare the safety number again before you trust new messages.</p>`}
    ${s&&c`<p class="error-text">${s}</p>`}
    ${o&&c`<div class="safety" aria-label=${"Safety number "+m.join(" ")} data-safety=${o}>${m.map((d,y)=>c`<span key=${y}>${d}</span>`)}</div>
      <img class="qr" src=${me(o)} alt="QR code of the safety number, for the other side to scan" width="220" height="220" />
      <p class="muted">Compare these digits with ${t&&t.name?t.name:"your contact"}'s screen, in person or on a call, or scan each other's code.</p>`}
    ${i&&c`<${ye}
      onText=${d=>{u(!1),l(d.replace(/\s/g,"")===o)}}
    />`}
    ${p===!0&&c`<p class="verified" role="status">The numbers match.</p>`}
    ${p===!1&&c`<p class="error-text" role="alert">The numbers do not match: do not verify.</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${()=>u(!i)}><${$} name="camera" /> ${i?"Stop scanning":"Scan their code"}</button>
      ${t&&t.verified&&!t.identity_changed_at?c`<span class="verified"><${$} name="shield" /> Verified</span>`:c`<button type="button" class="btn primary" onClick=${h} disabled=${!t}>Mark as verified</button>`}
    </div>
  </div>`}var Xs=[[-1,"As in Settings"],[0,"Never"],[1<<20,"Up to 1 MB"],[16<<20,"Up to 16 MB"],[100<<20,"Up to 100 MB"],[16*1024*1024*1024,"Always"]];function Zs({account:e}){let[t,n]=g(localStorage.getItem("pigeon.auto."+e)||"-1"),o=async a=>{try{await j("/v1/conversations/"+B(e)+"/auto-download",{max_bytes:Number(a)}),localStorage.setItem("pigeon.auto."+e,a),n(a)}catch(s){x(s)}};return c`<label class="field">
    <span>Download files from this chat on arrival</span>
    <select value=${t} onChange=${a=>o(a.target.value)}>
      ${Xs.map(([a,s])=>c`<option value=${String(a)}>${s}</option>`)}
    </select>
  </label>`}function Go({account:e}){let t=b(i=>i.contacts.get(e)),n=b(i=>i.presence.get(e)),[o,a]=g(t?t.name:"");D(()=>a(t?t.name:""),[t&&t.name]);let s=async i=>{i.preventDefault();try{await j("/v1/contacts/"+B(e),{name:o.trim()}),await te(),ke(),P("Saved.")}catch(u){x(u)}},r=async()=>{if(confirm("Remove this contact? The chat stays."))try{await K("/v1/contacts/"+B(e)),await te()}catch(i){x(i)}};return c`<aside class="drawer" aria-label="Contact details">
    <header class="bar">
      <a href=${"/chat/"+e} class="icon-btn" onClick=${E} aria-label="Close details"><${$} name="close" /></a>
      <h2>Contact details</h2>
    </header>
    <div class="section">
      ${t?c`<form onSubmit=${s} class="row">
            <label class="field grow"><span>Name</span><input type="text" value=${o} onInput=${i=>a(i.target.value)} /></label>
            <button class="btn" type="submit">Save</button>
          </form>`:c`<p>Not in your contacts.</p>
            <button type="button" class="btn primary" onClick=${()=>Kt(e,"").catch(x)}>Add to contacts</button>`}
      <p class="label">Account ID</p>
      <p class="mono">${e}</p>
      ${n&&c`<p class="muted">${n.state==="online"?"Online":n.state==="offline"?"Offline":"Presence not shared"}</p>`}
    </div>
    <${Js} account=${e} />
    <div class="section">
      <h3>Files</h3>
      <${Zs} account=${e} />
    </div>
    ${t&&c`<div class="section"><button type="button" class="btn danger" onClick=${r}><${$} name="trash" /> Remove contact</button></div>`}
  </aside>`}function zo({chosen:e,onChange:t,exclude:n}){let a=[...b(s=>s.contacts).values()].filter(s=>!n||!n.has(s.account));return a.length?c`<fieldset class="pick">
    <legend class="sr-only">Members</legend>
    ${a.map(s=>c`<label key=${s.account}>
        <input
          type="checkbox"
          checked=${e.has(s.account)}
          onChange=${r=>{let i=new Set(e);r.target.checked?i.add(s.account):i.delete(s.account),t(i)}}
        />
        ${s.name||z(s.account)}
      </label>`)}
  </fieldset>`:c`<p class="muted">No contacts to choose from. Add contacts first, or share an invite link.</p>`}function Yo({onClose:e}){let[t,n]=g(""),[o,a]=g(""),[s,r]=g(new Set),[i,u]=g(""),[p,l]=g(!1),m=ge(),h=async d=>{if(d.preventDefault(),!t.trim()){u("Give the group a name.");return}l(!0);try{let y=await po(t.trim(),o.trim(),[...s]);e(),O("/group/"+y.id)}catch(y){u(y.message)}finally{l(!1)}};return c`<${U}
    title="New group"
    onClose=${e}
    actions=${c`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="new-group" class="btn primary" disabled=${p}>Create</button>`}
  >
    <form id="new-group" onSubmit=${h}>
      <label class="field"><span>Name</span><input ref=${m} type="text" name="name" value=${t} onInput=${d=>n(d.target.value)} /></label>
      <label class="field"><span>Description (optional)</span><textarea rows="2" name="description" value=${o} onInput=${d=>a(d.target.value)}></textarea></label>
      <p class="label">Members</p>
      <${zo} chosen=${s} onChange=${r} />
      ${i&&c`<p class="error-text" role="alert">${i}</p>`}
    </form>
  </${U}>`}function Ko({onClose:e}){let[t,n]=g(""),[o,a]=g(""),[s,r]=g(!1),i=ge(),u=async p=>{let l=et(p);if(!l||l.kind!=="invite"){a("That is not a group invite link (it starts with pgi). Ask a member for a new one.");return}r(!0),a("");try{let m=await it(l.link);P(m.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),O("/group/"+m.group)}catch(m){a(m.message)}finally{r(!1)}};return c`<${U}
    title="Join a group"
    onClose=${e}
    actions=${c`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="join-group" class="btn primary" disabled=${s}>${s?"Asking the group…":"Join"}</button>`}
  >
    <form
      id="join-group"
      onSubmit=${p=>{p.preventDefault(),u(t)}}
    >
      <label class="field"><span>Invite link</span><input ref=${i} type="text" name="link" autocomplete="off" spellcheck="false" value=${t} onInput=${p=>n(p.target.value)} placeholder="pgi…" /></label>
      ${o&&c`<p class="error-text" role="alert">${o}</p>`}
    </form>
    <${ye} onText=${p=>(n(p),u(p))} />
  </${U}>`}var on=(e,t)=>e.role==="owner"||e.role==="admin"||e.settings&&e.settings[t]==="members"&&e.role==="member";function ea({g:e}){let[t,n]=g(""),[o,a]=g("86400"),s=async()=>{try{let i=await R("/v1/groups/"+e.id+"/invites",{ttl_seconds:Number(o)});n(i.link),V(e.id)}catch(i){x(i)}},r=async()=>{try{await R("/v1/groups/invites/revoke",{link:t}),n(""),V(e.id),P("Invite link revoked: nobody can join with it now.")}catch(i){x(i)}};return c`<div class="section invites">
    <h3>Invite link</h3>
    ${t?c`<p class="mono" data-invite=${t}>${t}</p>
          <img class="qr" src=${me(t)} alt="QR code of the invite link" width="220" height="220" />
          <div class="row">
            <button type="button" class="btn" onClick=${async()=>P(await Ue(t)?"Invite link copied.":"Copy failed: select the link and copy it.")}>
              <${$} name="copy" /> Copy
            </button>
            <button type="button" class="btn danger" onClick=${r}>Revoke</button>
          </div>`:c`<div class="row">
          <label class="field grow">
            <span>Valid for</span>
            <select value=${o} onChange=${i=>a(i.target.value)}>
              <option value="3600">1 hour</option>
              <option value="86400">1 day</option>
              <option value="604800">1 week</option>
              <option value="0">Until revoked</option>
            </select>
          </label>
          <button type="button" class="btn primary" onClick=${s}><${$} name="link" /> Create invite link</button>
        </div>`}
    ${e.invites&&e.invites.length>0&&c`<p class="muted">${e.invites.length} invite link${e.invites.length>1?"s":""} open.</p>`}
  </div>`}function ta({g:e}){let t=b(l=>l.contacts),[n,o]=g(!1),[a,s]=g(new Set),r=f.me&&f.me.account,i=e.role==="owner"||e.role==="admin",u=async l=>{try{await l(),await V(e.id)}catch(m){x(m)}},p="/v1/groups/"+e.id+"/members";return c`<div class="section members">
    <h3>${e.members.length} members</h3>
    <ul class="list">
      ${e.members.map(l=>{let m=l.account===r?"You":l.name||(t.get(l.account)||{}).name||z(l.account);return c`<li key=${l.account} data-account=${l.account}>
          <${Y} small name=${m} />
          <span class="grow">${m}</span>
          ${l.role!=="member"&&c`<span class="role">${l.role}</span>`}
          ${i&&l.account!==r&&l.role!=="owner"&&c`<span class="row">
            ${l.role==="member"?c`<button type="button" class="btn" onClick=${()=>u(()=>j(p+"/"+l.account+"/role",{role:"admin"}))} aria-label=${"Make "+m+" an admin"}>Make admin</button>`:e.role==="owner"&&c`<button type="button" class="btn" onClick=${()=>u(()=>j(p+"/"+l.account+"/role",{role:"member"}))} aria-label=${"Make "+m+" a member"}>Dismiss as admin</button>`}
            <button type="button" class="btn danger" onClick=${()=>confirm("Remove "+m+" from the group?")&&u(()=>K(p+"/"+l.account))} aria-label=${"Remove "+m}>
              Remove
            </button>
          </span>`}
        </li>`})}
    </ul>
    ${on(e,"add")&&(n?c`<div>
          <${zo} chosen=${a} onChange=${s} exclude=${new Set(e.members.map(l=>l.account))} />
          <div class="row">
            <button
              type="button"
              class="btn primary"
              disabled=${!a.size}
              onClick=${()=>u(async()=>{await R(p,{accounts:[...a],role:"member"}),o(!1),s(new Set)})}
            >
              Add ${a.size||""}
            </button>
            <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
          </div>
        </div>`:c`<button type="button" class="btn" onClick=${()=>o(!0)}><${$} name="person-add" /> Add members</button>`)}
  </div>`}function nn({g:e,k:t,label:n}){let o=async a=>{try{await Pt("/v1/groups/"+e.id,{settings:{...e.settings,[t]:a}}),await V(e.id)}catch(s){x(s)}};return c`<label class="field">
    <span>${n}</span>
    <select value=${e.settings[t]} onChange=${a=>o(a.target.value)}>
      <option value="members">All members</option>
      <option value="admins">Only admins</option>
    </select>
  </label>`}function na({g:e}){return c`<div class="section">
    <h3>Permissions</h3>
    <${nn} g=${e} k="post" label="Who can send messages" />
    <${nn} g=${e} k="add" label="Who can add members" />
    <${nn} g=${e} k="edit_info" label="Who can change name and description" />
  </div>`}function Qo({id:e}){let t=b(l=>l.groups.get(e)),[n,o]=g(null),[a,s]=g(null);if(!t)return c`<aside class="drawer"><p class="hint">Loading the group…</p></aside>`;let r=t.status==="active",i=r&&on(t,"edit_info"),u=async l=>{l.preventDefault();try{await Pt("/v1/groups/"+e,{name:(n??t.name).trim(),description:(a??t.description??"").trim()}),await V(e),await ue(),o(null),s(null),P("Saved.")}catch(m){x(m)}},p=async()=>{if(confirm("Leave "+t.name+"? You will not get its messages any more."))try{await R("/v1/groups/"+e+"/leave"),await V(e)}catch(l){x(l)}};return c`<aside class="drawer" aria-label="Group details" data-group=${e}>
    <header class="bar">
      <a href=${"/group/"+e} class="icon-btn" onClick=${E} aria-label="Close details"><${$} name="close" /></a>
      <h2>Group details</h2>
    </header>
    <div class="section">
      ${i?c`<form onSubmit=${u}>
            <label class="field"><span>Name</span><input type="text" name="name" value=${n??t.name} onInput=${l=>o(l.target.value)} /></label>
            <label class="field"><span>Description</span><textarea rows="3" name="description" value=${a??t.description??""} onInput=${l=>s(l.target.value)}></textarea></label>
            <button type="submit" class="btn" disabled=${n===null&&a===null}>Save</button>
          </form>`:c`<h3>${t.name}</h3>
            <p>${t.description}</p>`}
      <p class="muted">${r?"Your role: "+t.role:t.status==="left"?"You left this group.":"You were removed from this group."}</p>
    </div>
    ${r&&c`<${ta} g=${t} />`}
    ${r&&on(t,"add")&&c`<${ea} g=${t} />`}
    ${r&&(t.role==="owner"||t.role==="admin")&&c`<${na} g=${t} />`}
    ${r&&c`<div class="section"><button type="button" class="btn danger" onClick=${p}>Leave group</button></div>`}
  </aside>`}function an(e=localStorage.getItem("pigeon.theme")||"system"){e==="light"||e==="dark"?document.documentElement.dataset.theme=e:delete document.documentElement.dataset.theme}function oa(){let[e,t]=g(null),[n,o]=g(""),[a,s]=g(""),r=()=>M("/v1/relays").then(t).catch(x);D(()=>{r();let p=setInterval(r,1e4);return()=>clearInterval(p)},[]);let i=async p=>{p.preventDefault();try{await R("/v1/relays",a.trim()?{addr:n.trim(),invite:a.trim()}:{addr:n.trim()}),o(""),s(""),P("Relay added: the node reserves a slot there now."),r()}catch(l){x(l)}},u=async p=>{if(confirm("Stop using relay "+z(p.peer_id)+"? What its mailbox holds for you is taken first."))try{await K("/v1/relays/"+p.peer_id),r()}catch(l){x(l)}};return c`<div class="card relays">
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
    <form onSubmit=${i}>
      <label class="field"><span>Relay address</span><input type="text" name="relay" value=${n} onInput=${p=>o(p.target.value)} placeholder="/ip4/…/tcp/…/p2p/12D3Koo…" spellcheck="false" /></label>
      <label class="field"><span>Invite token (for invite-only relays)</span><input type="text" value=${a} onInput=${p=>s(p.target.value)} /></label>
      <button type="submit" class="btn" disabled=${!n.trim()}>Add relay</button>
    </form>
  </div>`}function sa(){let[e,t]=g(null),[n,o]=g("unifiedpush"),[a,s]=g(""),[r,i]=g(""),[u,p]=g(""),l=()=>M("/v1/push").then(t).catch(x);D(()=>{l()},[]);let m=async d=>{d.preventDefault();let y={kind:n};n==="unifiedpush"||n==="webhook"?y.url=a.trim():y.token=r.trim(),n==="apns"&&(y.topic=u.trim());try{await j("/v1/push",y),P("Push endpoint set; each relay says below whether it will use it."),l()}catch(_){x(_)}},h=async()=>{try{await K("/v1/push"),l()}catch(d){x(d)}};return c`<div class="card push">
    <h3>Push wake-ups</h3>
    <p class="muted">Your relays can wake a phone or a server of yours when something arrives while this device is away. The wake-up carries no content.</p>
    ${e&&c`<p>${e.endpoint?"Now: "+e.described:"No push endpoint."}</p>
      <ul class="list">
        ${e.relays.map(d=>c`<li key=${d.peer_id}><span class="grow mono">${z(d.peer_id)}</span><span>${d.state}${d.reason?": "+d.reason:""}</span></li>`)}
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
      ${n==="unifiedpush"||n==="webhook"?c`<label class="field"><span>URL</span><input type="url" value=${a} onInput=${d=>s(d.target.value)} /></label>`:c`<label class="field"><span>Token</span><input type="text" value=${r} onInput=${d=>i(d.target.value)} /></label>`}
      ${n==="apns"&&c`<label class="field"><span>Topic</span><input type="text" value=${u} onInput=${d=>p(d.target.value)} /></label>`}
      <div class="row">
        <button type="submit" class="btn">Set</button>
        ${e&&e.endpoint&&c`<button type="button" class="btn danger" onClick=${h}>Turn off</button>`}
      </div>
    </form>
  </div>`}function aa(){let[e,t]=g("");D(()=>{M("/v1/presence/privacy").then(o=>t(o.who)).catch(x)},[]);let n=async o=>{try{await j("/v1/presence/privacy",{who:o}),t(o),P("Saved.")}catch(a){x(a)}};return c`<div class="card">
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
  </div>`}var sn=[[0,"Never (download when I ask)"],[1<<20,"Files up to 1 MB"],[16<<20,"Files up to 16 MB"],[100<<20,"Files up to 100 MB"],[16*1024*1024*1024,"All files"]];function ra(){let e=b(a=>a.autoDownload),t=e?e.max_bytes:null,n=t==null||sn.some(([a])=>a===t)?sn:[...sn,[t,"Files up to "+Z(t)]],o=async a=>{try{await j("/v1/media-settings/auto-download",{max_bytes:Number(a)}),await Bt()}catch(s){x(s)}};return c`<div class="card">
    <h3>Automatic downloads</h3>
    <label class="field">
      <span>Download files on arrival</span>
      <select value=${t==null?"":String(t)} onChange=${a=>o(a.target.value)}>
        ${n.map(([a,s])=>c`<option value=${String(a)}>${s}</option>`)}
      </select>
    </label>
    <p class="muted">Each chat can have its own setting in its details.</p>
  </div>`}function ia(){let[e,t]=g(localStorage.getItem("pigeon.theme")||"system"),[n,o]=g(lt()),a=s=>{localStorage.setItem("pigeon.theme",s),t(s),an(s)};return c`<div class="card">
    <h3>Appearance and notifications</h3>
    <fieldset class="field">
      <legend class="label">Theme</legend>
      <div class="row">
        ${["system","light","dark"].map(s=>c`<label key=${s}><input type="radio" name="theme" value=${s} checked=${e===s} onChange=${()=>a(s)} /> ${s==="system"?"Follow the system":s==="light"?"Light":"Dark"}</label>`)}
      </div>
    </fieldset>
    <p>
      Notifications:
      ${n==="granted"?" on, while this tab is in the background.":n==="denied"?" blocked in this browser’s site settings.":n==="unsupported"?" not supported by this browser.":c` <button type="button" class="btn" onClick=${async()=>o(await ut())}>Turn on</button>`}
    </p>
  </div>`}function ca(){return c`<div class="card">
    <h3>This browser</h3>
    <p class="muted">Signing out ends this browser's session; run <code>pigeon web</code> to sign in again.</p>
    <button type="button" class="btn danger" onClick=${async()=>{try{await R("/v1/web/logout")}catch(t){if(t.status!==401)return x(t)}f.boot="signedout",f.me=null,location.replace("/")}}>Sign out</button>
  </div>`}function Vo(){return c`<section class="pane page" aria-labelledby="settings-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${E}><${$} name="back" /></a>
      <h2 id="settings-title">Settings</h2>
    </header>
    <div class="page-body">
      <${wo} />
      <${ia} />
      <${aa} />
      <${ra} />
      <${oa} />
      <${sa} />
      <${ca} />
    </div>
  </section>`}function la(){let e=f.convs.map(n=>({key:n.key,name:n.name||F(n.key),group:!!n.group})),t=new Set(e.map(n=>n.key));for(let n of f.contacts.values()){let o=he(n.account);t.has(o)||e.push({key:o,name:n.name||F(o),group:!1})}return e}function Jo({onClose:e}){let[t,n]=g(""),[o,a]=g(0),s=ge(),r=t.trim().toLowerCase(),i=la(),u=(r?i.filter(h=>h.name.toLowerCase().includes(r)):i).slice(0,50),p=Math.min(o,u.length-1),l=h=>{h&&(e(),O(Q(h.key)))},m=h=>{h.key==="ArrowDown"?(h.preventDefault(),a((p+1)%Math.max(1,u.length))):h.key==="ArrowUp"?(h.preventDefault(),a((p-1+u.length)%Math.max(1,u.length))):h.key==="Enter"&&(h.preventDefault(),l(u[p]))};return c`<${U} title="Go to chat" onClose=${e} class="switcher">
    <label class="sr-only" for="switcher-input">Chat name</label>
    <input
      id="switcher-input"
      ref=${s}
      type="text"
      role="combobox"
      aria-expanded="true"
      aria-controls="switcher-list"
      aria-autocomplete="list"
      aria-activedescendant=${u.length?"sw-"+p:void 0}
      autocomplete="off"
      placeholder="Type a name"
      value=${t}
      onInput=${h=>(n(h.target.value),a(0))}
      onKeyDown=${m}
    />
    <ul id="switcher-list" class="switcher-list" role="listbox" aria-label="Chats">
      ${u.map((h,d)=>c`<li id=${"sw-"+d} key=${h.key} role="option" aria-selected=${d===p?"true":"false"} onClick=${()=>l(h)} data-key=${h.key}>
          <${Y} small name=${h.name} group=${h.group} />
          ${h.name}
        </li>`)}
      ${!u.length&&c`<li class="muted" role="option" aria-disabled="true" aria-selected="false">No chat matches.</li>`}
    </ul>
  </${U}>`}var ua=500,ht=null,Xo="";function es(){return f.boot="setup",f.setup=null,v(),new Promise(e=>{ht=e,ns()})}function ts(){let e=ht;ht=null,e&&e()}async function ns(){if(ht){try{f.setup=await M("/v1/setup"),f.setupDown=""}catch(e){f.setupDown=e.message}if(v(),f.setup&&f.setup.state==="ready"){ts();return}setTimeout(ns,ua)}}var Zo=e=>(e||0).toLocaleString("en-US");function pa({failed:e,onLink:t}){let[n,o]=g(!1),[a,s]=g("");return c`<div class="setup-choice">
    <button type="button" class="btn primary create-account" disabled=${n} onClick=${async()=>{o(!0),s("");try{await R("/v1/setup/create"),f.setup={state:"creating"},v()}catch(i){s(i.message)}o(!1)}}>Create a new account</button>
    <button type="button" class="btn link-account" disabled=${n} onClick=${t}>Link to an account I already have</button>
    ${(a||e)&&c`<p class="error-text setup-error" role="alert">${a||e.error}</p>`}
  </div>`}function da({failed:e,onBack:t}){let[n,o]=g(""),[a,s]=g(Xo),[r,i]=g(!1),[u,p]=g(""),l=async h=>{h.preventDefault(),i(!0),p("");try{await R("/v1/setup/link",{code:n.trim(),name:a.trim()}),f.setup={state:"linking"},v()}catch(d){p(d.message)}i(!1)},m=u||e&&e.error;return c`<form class="setup-link" onSubmit=${l}>
    <p>On the device that has your account, open Settings › Devices › <strong>Link a device</strong> (or run <code>pigeon devices link</code>), then paste its code here.</p>
    <label class="field">
      <span>Link code</span>
      <textarea class="mono link-code link-code-input" rows="4" spellcheck="false" placeholder="pigeon-link:…" value=${n} onInput=${h=>o(h.target.value)}></textarea>
    </label>
    <${ye} onText=${o} />
    <label class="field">
      <span>Name of this device (optional)</span>
      <input type="text" class="device-name-input" maxlength="64" placeholder="this computer's name" value=${a} onInput=${h=>s(Xo=h.target.value)} />
    </label>
    ${m&&c`<p class="error-text setup-error" role="alert" data-code=${u?"":e.code}>${m}</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${t}>Back</button>
      <button type="submit" class="btn primary" disabled=${r||!n.trim()}>Link this device</button>
    </div>
  </form>`}function os(){let e=b(s=>s.setup),t=b(s=>s.setupDown),[n,o]=g(""),a;if(!e)a=c`<p class="muted">Asking the daemon…</p>`;else if(e.state==="creating")a=c`<p role="status">Creating your account…</p>`;else if(e.state==="linking")a=e.sas?c`<p>Check that your other device shows this code, and confirm there:</p>
          <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
          <p class="muted">If it shows other digits, cancel there: someone else has your link code.</p>`:c`<p role="status">Asking your other device…</p>`;else if(e.state==="syncing"||e.state==="ready"){let s=e.history||{};a=c`<p>This device is linked to your account.</p>
      <p class="setup-history" role="status">${s.error?"Getting your history stopped ("+s.error+"); it goes on when the devices meet again.":"Getting your history: "+Zo(s.done)+" of "+Zo(s.total)}</p>
      <progress max=${s.total||1} value=${s.done||0}></progress>
      <button type="button" class="btn open-app" onClick=${ts}>Open Pigeon now</button>`}else n==="link"||n===""&&e.error&&e.error.code!=="internal"?a=c`<${da} failed=${e.error} onBack=${()=>o("choice")} />`:a=c`<p>This device has no Pigeon account yet.</p><${pa} failed=${e.error} onLink=${()=>o("link")} />`;return c`<main class="signin setup" aria-labelledby="setup-title" data-state=${e?e.state:""}>
    <h1 id="setup-title">Set up Pigeon</h1>
    ${a}
    ${t&&c`<p class="error-text" role="alert">${t}</p>`}
  </main>`}function fa(){return c`<main class="signin" aria-labelledby="signin-title">
    <h1 id="signin-title">Sign in to Pigeon</h1>
    <p>This browser is not signed in to your Pigeon node (or its session ended).</p>
    <p>In a terminal on this computer, run <code>pigeon web</code>: it prints a one-time login link and opens it in your browser.</p>
    <p class="muted">The link works once, for 10 minutes. The session then lasts 30 days from its last use.</p>
  </main>`}function ma(){let e=b(t=>t.toasts);return c`<div class="toasts" role="status" aria-live="polite">
    ${e.map(t=>c`<div key=${t.id} class=${"toast "+t.kind} role=${t.kind==="error"?"alert":void 0}>
        <span class="grow">${t.text}</span>
        <button type="button" aria-label="Dismiss" onClick=${()=>Ht(t.id)}><${$} name="close" /></button>
      </div>`)}
  </div>`}function ha(){return c`<main class="pane empty-pane" id="main">
    <div class="card">
      <h2>Pigeon</h2>
      <p>Pick a chat on the left, or press <kbd>Ctrl</kbd>+<kbd>K</kbd> to jump to one.</p>
      <p class="muted">Messages are end-to-end encrypted and stored on your own node.</p>
    </div>
  </main>`}function ga(){let e=b(i=>i.boot),t=b(i=>i.storageFull),n=mo(),[o,a]=g("");if(D(()=>{n.name==="chat"?Gt(n.key):eo()},[n.name,n.key,e]),D(()=>{let i=u=>{(u.ctrlKey||u.metaKey)&&!u.altKey&&u.key.toLowerCase()==="k"&&(u.preventDefault(),a("switcher"))};return document.addEventListener("keydown",i),()=>document.removeEventListener("keydown",i)},[]),e==="signedout")return c`<${fa} />`;if(e==="setup")return c`<${os} />`;if(e==="error")return c`<main class="signin"><h1>Pigeon</h1><p class="error-text">${f.bootError}</p></main>`;let s=()=>a(""),r;if(n.name==="chat"){let i=c`<${Fo} key=${n.key} chatKey=${n.key} info=${n.info} />`,u=n.info&&(n.key.startsWith("g:")?c`<${Qo} id=${n.key.slice(2)} />`:c`<${Go} account=${n.key.slice(2)} />`);r=c`<main class="pane" id="main">${u?c`<div class="with-drawer">${i}${u}</div>`:i}</main>`}else n.name==="contacts"?r=c`<${Ho} onAdd=${()=>a("contact")} />`:n.name==="me"?r=c`<${Bo} />`:n.name==="settings"?r=c`<${Vo} />`:r=c`<${ha} />`;return c`<div class=${"app"+(n.name!=="home"?" chat-open":"")} data-boot=${e}>
    <a class="skip" href="#main">Skip to conversation</a>
    <${Mo}
      current=${n.key}
      onNewGroup=${()=>a("group")}
      onAddContact=${()=>a("contact")}
      onJoin=${()=>a("join")}
    />
    ${t&&c`<div class="banner" role="alert">The disk is nearly full: free some space to receive messages and files again.</div>`}
    ${r}
    ${o==="switcher"&&c`<${Jo} onClose=${s} />`}
    ${o==="group"&&c`<${Yo} onClose=${s} />`}
    ${o==="contact"&&c`<${jo} onClose=${s} />`}
    ${o==="join"&&c`<${Ko} onClose=${s} />`}
    <${ko} />
    <${ma} />
  </div>`}function _a(){let e=b(t=>t.conn);return D(()=>{document.body.dataset.conn=e},[e]),c`<${ga} />`}function ya(){return new Promise(e=>document.hidden?e():requestAnimationFrame(()=>setTimeout(e)))}async function $a(){An(()=>{f.boot="signedout",v()});let e=M("/v1/info");e.catch(()=>{}),await ya();let t=document.getElementById("app");t.textContent="",t.className="",xt(c`<${_a} />`,t);try{f.me=await e.catch(async n=>{if(n.code!=="not_set_up")throw n;return await es(),f.boot="loading",M("/v1/info")})}catch(n){n.status!==401&&(f.boot="error",f.bootError=n.message),v();return}v(),dt(),document.addEventListener("visibilitychange",()=>{no(document.visibilityState==="visible"),document.hidden||Zt()}),window.addEventListener("online",Zt),Vn(_o)}an();$a();
